import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { User, UserCreate, UserList, UserUpdate } from "./types";
import { useApiClient } from "@/lib/api-client-context";
import { usersKeys } from "./query-keys";

export function useUsers() {
  const client = useApiClient();
  return useQuery({
    queryKey: usersKeys.list(),
    queryFn: ({ signal }) => client.request<UserList>("/api/v1/users", { signal }),
  });
}

function replaceUser(list: UserList | undefined, user: User): UserList | undefined {
  if (!list) return list;
  const exists = list.items.some((item) => item.id === user.id);
  return { items: exists ? list.items.map((item) => (item.id === user.id ? user : item)) : [...list.items, user] };
}

export function useCreateUser() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) => client.request<User>("/api/v1/users", { method: "POST", body }),
    onSuccess: (user) => {
      queryClient.setQueryData<UserList>(usersKeys.list(), (list) => replaceUser(list, user));
    },
  });
}

export function useUpdateUser() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, update }: { id: number; update: UserUpdate }) =>
      client.request<User>(`/api/v1/users/${id}`, { method: "PATCH", body: update }),
    onSuccess: (user) => {
      queryClient.setQueryData<UserList>(usersKeys.list(), (list) => replaceUser(list, user));
    },
  });
}
