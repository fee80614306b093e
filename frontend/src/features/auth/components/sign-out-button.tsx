import { LogOut } from "lucide-react";
import { Button } from "@/components/ui/button";
import { useLogout } from "../api";

export function SignOutButton() {
  const logout = useLogout();
  return (
    <Button variant="ghost" size="sm" busy={logout.isPending} onClick={() => logout.mutate()}>
      <LogOut size={16} aria-hidden="true" />
      Sign out
    </Button>
  );
}
