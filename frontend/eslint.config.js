import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// Imports flow one way: components / lib / api -> features -> routes.
// Inside a feature, use relative imports; everything else uses the "@/" alias,
// which is what these rules check.
const noFeatureOrRouteImports = {
  patterns: [
    { group: ["@/features/*", "@/features"], message: "Shared code must not import features." },
    { group: ["@/routes/*", "@/routes"], message: "Shared code must not import routes." },
  ],
};

export default tseslint.config(
  { ignores: ["dist", "coverage", "node_modules"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      ecmaVersion: 2023,
      globals: globals.browser,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "no-restricted-syntax": ["error", { selector: "ExportDefaultDeclaration", message: "Use named exports." }],
    },
  },
  {
    files: ["vite.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["src/components/**", "src/lib/**", "src/api/**"],
    rules: { "no-restricted-imports": ["error", noFeatureOrRouteImports] },
  },
  {
    files: ["src/features/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/features/*", "@/features"],
              message: "A feature must not import another feature; use relative imports inside a feature.",
            },
            { group: ["@/routes/*", "@/routes"], message: "Features must not import routes." },
          ],
        },
      ],
    },
  },
  {
    files: ["eslint.config.js"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
