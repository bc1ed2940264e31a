export { default, metadata } from "@/features/sign-in/page";
