export { default, metadata } from "@/features/identities/create/page";
