export { default, metadata } from "@/features/identities/list/page";
