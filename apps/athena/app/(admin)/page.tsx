export { default, metadata } from "@/features/dashboard/page";
