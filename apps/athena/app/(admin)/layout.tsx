export { default } from "@/shared/shell/admin-layout";
