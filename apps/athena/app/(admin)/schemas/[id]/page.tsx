export { default, metadata } from "@/features/schemas/schema-page";
