export { default, metadata } from "@/features/sessions/page";
