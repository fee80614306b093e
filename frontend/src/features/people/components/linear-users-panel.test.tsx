import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { LinearUser } from "../api";
import { jsonResponse } from "@/test/fake-fetch";
import { renderWithProviders } from "@/test/render";
import { LinearUsersPanel } from "./linear-users-panel";

const ada = { id: 7, login: "ada", name: "Ada L" };
const bo = { id: 8, login: "bo-gh", name: null };

function linearUser(overrides: Partial<LinearUser> = {}): LinearUser {
  return {
    id: 1,
    name: "Ada Lovelace",
    display_name: "ada",
    email: "ada@example.com",
    active: true,
    developer: ada,
    matched_by: "email",
    ...overrides,
  };
}

const listing = {
  items: [
    linearUser(),
    linearUser({
      id: 2,
      name: "Bo",
      display_name: null,
      email: "bo@elsewhere.example",
      developer: null,
      matched_by: "none",
    }),
  ],
  developers: [ada, bo],
};

describe("the Linear users panel", () => {
  it("stays hidden until Linear has synced users", async () => {
    const { fake, container } = renderWithProviders(<LinearUsersPanel isAdmin />);
    await waitFor(() => expect(fake.callsTo("GET", "/api/v1/linear/users")).toHaveLength(1));
    await waitFor(() => expect(container).toBeEmptyDOMElement());
  });

  it("shows viewers who each Linear user is and how it was found", async () => {
    renderWithProviders(<LinearUsersPanel isAdmin={false} />, {
      routes: { "GET /api/v1/linear/users": () => jsonResponse(200, listing) },
    });
    const adaRow = await screen.findByRole("row", { name: /Ada Lovelace/ });
    expect(within(adaRow).getByText("Ada L (ada)")).toBeInTheDocument();
    expect(within(adaRow).getByText("Same e-mail")).toBeInTheDocument();
    const boRow = screen.getByRole("row", { name: /Bo/ });
    expect(within(boRow).getByText("No developer has this e-mail")).toBeInTheDocument();
    expect(screen.queryByRole("combobox")).not.toBeInTheDocument();
  });

  it("lets an admin choose a developer", async () => {
    const { user, fake } = renderWithProviders(<LinearUsersPanel isAdmin />, {
      routes: {
        "GET /api/v1/linear/users": () => jsonResponse(200, listing),
        "PUT /api/v1/linear/users/2/developer": () =>
          jsonResponse(200, { ...listing.items[1], developer: bo, matched_by: "chosen" }),
      },
    });
    await user.selectOptions(await screen.findByLabelText("Developer for Bo"), "bo-gh");
    expect(await screen.findByText("Bo is bo-gh.")).toBeInTheDocument();
    expect(fake.callsTo("PUT", "/api/v1/linear/users/2/developer")[0]?.body).toEqual({ developer_id: 8 });
  });

  it("lets an admin go back to the e-mail match", async () => {
    const chosen = linearUser({ developer: bo, matched_by: "chosen" });
    const { user, fake } = renderWithProviders(<LinearUsersPanel isAdmin />, {
      routes: {
        "GET /api/v1/linear/users": () => jsonResponse(200, { ...listing, items: [chosen] }),
        "DELETE /api/v1/linear/users/1/developer": () => jsonResponse(200, linearUser()),
      },
    });
    const select = await screen.findByLabelText("Developer for Ada Lovelace");
    expect(select).toHaveValue("8");
    await user.selectOptions(select, "By e-mail");
    expect(await screen.findByText("Ada Lovelace is Ada L (ada).")).toBeInTheDocument();
    expect(fake.callsTo("DELETE", "/api/v1/linear/users/1/developer")).toHaveLength(1);
  });
});
