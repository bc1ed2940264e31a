#!/usr/bin/env node
// The `olympus` operator CLI. Its sources are TypeScript run through tsx,
// like every other Olympus script, so the repository needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
