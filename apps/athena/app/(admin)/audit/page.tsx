export { default, metadata } from "@/features/audit/page";
