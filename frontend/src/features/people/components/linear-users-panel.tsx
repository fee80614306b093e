import { useState } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { useChooseLinearDeveloper, useLinearUsers, type LinearUser } from "../api";
import { choiceValue, developerLabel, matchDescription, readChoice } from "../linear-user-choice";

/**
 * Which developer each Linear user is: issues count for that person. Matched by e-mail; an admin
 * can choose another developer or nobody, and syncs keep the choice. Hidden until Linear has
 * synced users.
 */
export function LinearUsersPanel({ isAdmin }: { isAdmin: boolean }) {
  const users = useLinearUsers();
  const choose = useChooseLinearDeveloper();
  const [notice, setNotice] = useState<string | null>(null);

  if (users.isSuccess && users.data.items.length === 0) return null;

  function change(user: LinearUser, value: string) {
    setNotice(null);
    choose.mutate(
      { userId: user.id, choice: readChoice(value) },
      {
        onSuccess: (saved) =>
          setNotice(
            saved.developer
              ? `${saved.name} is ${developerLabel(saved.developer)}.`
              : `${saved.name} is no developer now.`,
          ),
      },
    );
  }

  return (
    <Card
      title="Linear users"
      description="Each Linear user's issues count for the developer with the same e-mail. Where that is wrong or missing, an admin chooses the developer; syncs keep the choice."
    >
      {notice ? <Alert variant="success">{notice}</Alert> : null}
      {users.isPending ? <LoadingBlock label="Loading Linear users…" /> : null}
      {users.isError ? <ErrorAlert error={users.error} onRetry={() => void users.refetch()} /> : null}
      {choose.isError ? <ErrorAlert error={choose.error} title="Cannot change the developer" /> : null}
      {users.data && users.data.items.length > 0 ? (
        <div className="table-scroll">
          <table className="table">
            <caption className="visually-hidden">Linear users</caption>
            <thead>
              <tr>
                <th scope="col">Linear user</th>
                <th scope="col">Developer</th>
                <th scope="col">How</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => (
                <tr key={user.id}>
                  <th scope="row">
                    {user.display_name && user.display_name !== user.name
                      ? `${user.name} (${user.display_name})`
                      : user.name}
                    {user.email ? <span className="muted small"> {user.email}</span> : null}
                    {user.active ? null : <span className="muted small"> · deactivated</span>}
                  </th>
                  <td>
                    {isAdmin ? (
                      <select
                        className="input select"
                        aria-label={`Developer for ${user.name}`}
                        value={choiceValue(user)}
                        disabled={choose.isPending && choose.variables.userId === user.id}
                        onChange={(event) => change(user, event.target.value)}
                      >
                        <option value="email">
                          {user.matched_by === "email" && user.developer
                            ? `By e-mail: ${developerLabel(user.developer)}`
                            : "By e-mail"}
                        </option>
                        <option value="none">Not a developer</option>
                        {users.data.developers.map((developer) => (
                          <option key={developer.id} value={developer.id}>
                            {developerLabel(developer)}
                          </option>
                        ))}
                      </select>
                    ) : user.developer ? (
                      developerLabel(user.developer)
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{matchDescription(user)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
