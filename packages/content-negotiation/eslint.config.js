export { default } from "@olympus/eslint-config/typed";
