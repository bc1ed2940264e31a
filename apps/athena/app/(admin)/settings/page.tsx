export { default, metadata } from "@/features/settings/page";
