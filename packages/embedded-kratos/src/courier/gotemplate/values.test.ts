import { describe, expect, it } from "vitest";
import { compileTemplate } from "./index";

const render = (text: string) => compileTemplate(text, "t").render({});

/**
 * A scalar's Go type name is also its reflect Kind's name, so sprig's
 * kindOf (reflect.go: reflect.ValueOf(src).Kind().String()), typeOf
 * (fmt.Sprintf("%T")) and fmt's %T agree on them; Go 1.19 prints these.
 */
describe("Go type and kind names of template scalars", () => {
  it("kindOf, typeOf and %T name string, bool, int and float64 constants alike", () => {
    expect(render(`{{ kindOf "a" }} {{ kindOf true }} {{ kindOf 1 }} {{ kindOf 1.5 }} {{ kindOf nil }}`)).toBe(
      "string bool int float64 invalid",
    );
    expect(render(`{{ typeOf "a" }} {{ typeOf true }} {{ typeOf 1 }} {{ typeOf 1.5 }} {{ printf "%T %T %T %T" "a" true 1 1.5 }}`)).toBe(
      "string bool int float64 string bool int float64",
    );
  });
});
