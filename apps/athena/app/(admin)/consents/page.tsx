export { default, metadata } from "@/features/consents/page";
