export { default, metadata } from "@/features/courier/page";
