import { describe, expect, it } from "vitest";
import { readDeploymentParam, withDeployment } from "./deployment-param";

describe("the deployment in the URL", () => {
  it("reads an id and ignores what is not one", () => {
    expect(readDeploymentParam(new URLSearchParams("deployment=42"))).toBe(42);
    expect(readDeploymentParam(new URLSearchParams("deployment=0"))).toBeNull();
    expect(readDeploymentParam(new URLSearchParams("deployment=4x"))).toBeNull();
    expect(readDeploymentParam(new URLSearchParams("deployment=-3"))).toBeNull();
    expect(readDeploymentParam(new URLSearchParams("window=7d"))).toBeNull();
  });

  it("opens and closes a deployment keeping the filters", () => {
    expect(withDeployment("?window=7d&repo=3", 12)).toBe("?window=7d&repo=3&deployment=12");
    expect(withDeployment("?window=7d&deployment=12", 15)).toBe("?window=7d&deployment=15");
    expect(withDeployment("?window=7d&deployment=12", null)).toBe("?window=7d");
    expect(withDeployment("?deployment=12", null)).toBe("");
  });
});
