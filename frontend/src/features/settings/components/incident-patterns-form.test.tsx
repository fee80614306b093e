import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { makeSettings, makeUser } from "@/test/builders";
import { errorResponse, jsonResponse } from "@/test/fake-fetch";
import { renderWithProviders } from "@/test/render";
import { IncidentPatternsPanel } from "./incident-patterns-form";

const admin = makeUser();
const viewer = makeUser({ id: 2, email: "viewer@example.com", role: "viewer" });

describe("the incident patterns form", () => {
  it("shows the stored labels and saves the edited list", async () => {
    const { user, fake } = renderWithProviders(<IncidentPatternsPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings({ incident_patterns: ["incident"] })),
        "PUT /api/v1/settings/incident-patterns": (call) => jsonResponse(200, call.body),
      },
    });

    const field = await screen.findByRole("textbox", { name: "Incident patterns" });
    expect(field).toHaveValue("incident");
    await user.clear(field);
    await user.type(field, "incident, Outage , sev1");
    await user.click(screen.getByRole("button", { name: "Save incident patterns" }));

    expect(await screen.findByText("Saved")).toBeInTheDocument();
    const [call] = fake.callsTo("PUT", "/api/v1/settings/incident-patterns");
    expect(call?.body).toEqual({ patterns: ["incident", "Outage", "sev1"] });
    expect(fake.callsTo("PUT", "/api/v1/settings/deployment-patterns")).toHaveLength(0);
    expect(screen.getByRole("textbox", { name: "Incident patterns" })).toHaveValue("incident, Outage, sev1");
  });

  it("shows why the server refused the list", async () => {
    const { user } = renderWithProviders(<IncidentPatternsPanel readOnly={false} />, {
      user: admin,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings()),
        "PUT /api/v1/settings/incident-patterns": () =>
          errorResponse(422, "validation_error", "At most 50 patterns.", { requestId: "req-422" }),
      },
    });

    await user.click(await screen.findByRole("button", { name: "Save incident patterns" }));

    expect(await screen.findByText(/At most 50 patterns\./)).toBeInTheDocument();
    expect(screen.queryByText("Saved")).not.toBeInTheDocument();
  });

  it("shows viewers the labels without a way to change them", async () => {
    renderWithProviders(<IncidentPatternsPanel readOnly />, {
      user: viewer,
      routes: {
        "GET /api/v1/settings": () => jsonResponse(200, makeSettings({ incident_patterns: ["incident", "outage"] })),
      },
    });

    const field = await screen.findByRole("textbox", { name: "Incident patterns" });
    expect(field).toBeDisabled();
    expect(field).toHaveValue("incident, outage");
    expect(screen.queryByRole("button", { name: "Save incident patterns" })).not.toBeInTheDocument();
  });
});
