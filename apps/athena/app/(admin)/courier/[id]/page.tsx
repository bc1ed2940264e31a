export { default, metadata } from "@/features/courier/message-page";
