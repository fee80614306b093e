import type { User } from "../types";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadingBlock } from "@/components/ui/skeleton";
import { formatDateTime } from "@/lib/format";
import { useUpdateUser, useUsers } from "../api";

const roleLabel: Record<User["role"], string> = { admin: "Admin", viewer: "Viewer" };

export function UsersTable({ currentUserId }: { currentUserId: number }) {
  const users = useUsers();
  const updateUser = useUpdateUser();
  const pendingId = updateUser.isPending ? updateUser.variables.id : null;

  return (
    <Card title="All users" headingLevel={3}>
      {updateUser.isError ? <ErrorAlert error={updateUser.error} /> : null}
      {users.isPending ? <LoadingBlock label="Loading users…" /> : null}
      {users.isError ? (
        <ErrorAlert error={users.error} title="Cannot load the users" onRetry={() => void users.refetch()} />
      ) : null}
      {users.data ? (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((user) => {
                const isSelf = user.id === currentUserId;
                const busy = pendingId === user.id;
                return (
                  <tr key={user.id}>
                    <th scope="row" className="cell-strong">
                      {user.email}
                      {isSelf ? <span className="muted"> (you)</span> : null}
                    </th>
                    <td>{roleLabel[user.role]}</td>
                    <td>
                      <span className={user.is_active ? "badge badge-ok" : "badge badge-muted"}>
                        {user.is_active ? "Active" : "Inactive"}
                      </span>
                    </td>
                    <td>{formatDateTime(user.created_at)}</td>
                    <td className="cell-actions">
                      {isSelf ? null : (
                        <div className="row-actions">
                          <Button
                            size="sm"
                            disabled={busy}
                            onClick={() =>
                              updateUser.mutate({
                                id: user.id,
                                update: { role: user.role === "admin" ? "viewer" : "admin" },
                              })
                            }
                          >
                            {user.role === "admin" ? "Make viewer" : "Make admin"}{" "}
                            <span className="visually-hidden">{user.email}</span>
                          </Button>
                          <Button
                            size="sm"
                            variant={user.is_active ? "danger" : "secondary"}
                            disabled={busy}
                            onClick={() => updateUser.mutate({ id: user.id, update: { is_active: !user.is_active } })}
                          >
                            {user.is_active ? "Deactivate" : "Activate"}{" "}
                            <span className="visually-hidden">{user.email}</span>
                          </Button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </Card>
  );
}
