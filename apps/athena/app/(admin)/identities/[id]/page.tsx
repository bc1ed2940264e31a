export { default, metadata } from "@/features/identities/detail/page";
