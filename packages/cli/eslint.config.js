export { default } from "@olympus/eslint-config/base";
