export { hchacha20, hsalsa20 } from "./arx";
export { poly1305, POLY1305_KEY_SIZE, POLY1305_TAG_SIZE } from "./poly1305";
export { secretboxOpen, secretboxSeal, SECRETBOX_KEY_SIZE, SECRETBOX_NONCE_SIZE, SECRETBOX_OVERHEAD } from "./secretbox";
export {
  XCHACHA20_POLY1305_KEY_SIZE,
  XCHACHA20_POLY1305_NONCE_SIZE,
  xchacha20Poly1305Open,
  xchacha20Poly1305Seal,
} from "./xchacha20-poly1305";
