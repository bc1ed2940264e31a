export { default, metadata } from "@/features/schemas/page";
