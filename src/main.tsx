// Every sheet of the first paint, here in cascade order: the build inlines them into
// index.html as one (scripts/vite/inline-stylesheet.ts). Imported by the modules they style,
// they would come after these, whatever order the cascade needs.
import "./styles/page.css";
import "./styles/controls.css";
import "./features/tls-strategies/list/list.css";
import "./features/tls-strategies/list/row.css";
import "./styles/text.css";
import "./features/tls-strategies/list/cards.css";
import { createRoot } from "react-dom/client";
import { startFirstReads } from "./app/first-reads";
import { installPageRestore } from "./app/page-restore";
import { AppProviders } from "./app/providers";
import { createQueryClient } from "./app/query-client";
import { App } from "./app/router";
import { applyTheme, readTheme } from "./components/theme";
import { installNavigationGuard } from "./navigation/navigation-guard";
import { installPendingStore } from "./pending-apply/pending-changes";

// The page's start. With boot/early-requests.ts (the entry of index.html's inline script), the
// only module with side effects at import: everything else that listens to the window does so
// from an install…() called here.
const queryClient = createQueryClient();
// Before the router listens: a blocked Back never reaches it.
installNavigationGuard();
installPendingStore();
installPageRestore(queryClient);
// The server already put the theme on <html>; the development server does not.
applyTheme(readTheme());

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element.");

void startFirstReads(queryClient).then(() =>
  createRoot(root).render(
    <AppProviders queryClient={queryClient}>
      <App />
    </AppProviders>,
  ),
);
