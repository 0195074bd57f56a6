import { preloadable } from "../../../components/preloadable";
import { preloadSaveCode } from "../../../pending-apply/notice-slot";

// The form's pages load on demand: the list is what an admin opens most. Their code, and
// the code a save runs after its answer, is fetched when the browser is idle after the list,
// or as soon as a pointer or the keyboard reaches a link to them: a click never waits for it,
// and a save sends only its own requests.

/** The edit page (tls-strategy-edit-page.tsx). */
export const editPage = preloadable(() => {
  preloadSaveCode();
  return import("../edit/edit-page");
});

/** The create and duplicate page (tls-strategy-create-page.tsx). */
export const createPage = preloadable(() => {
  preloadSaveCode();
  return import("../edit/create-page");
});
