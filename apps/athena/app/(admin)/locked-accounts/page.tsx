export { default, metadata } from "@/features/locked-accounts/page";
