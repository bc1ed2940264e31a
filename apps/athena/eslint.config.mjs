export { default } from "@olympus/eslint-config/next";
