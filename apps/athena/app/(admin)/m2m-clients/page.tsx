export { default, metadata } from "@/features/oauth2-clients/m2m/page";
