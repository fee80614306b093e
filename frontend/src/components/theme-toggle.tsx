import { useState } from "react";
import { Moon, Sun } from "lucide-react";
import { applyThemePreference, readThemePreference, resolveTheme } from "@/lib/theme";

/** Switches between light and dark; the first choice follows the system setting. */
export function ThemeToggle() {
  const [theme, setTheme] = useState(() => resolveTheme(readThemePreference()));
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={`Use ${next} theme`}
      title={`Use ${next} theme`}
      onClick={() => {
        applyThemePreference(next);
        setTheme(next);
      }}
    >
      {theme === "dark" ? <Sun size={18} aria-hidden="true" /> : <Moon size={18} aria-hidden="true" />}
    </button>
  );
}
