export { default, metadata } from "@/features/oauth2-clients/page";
