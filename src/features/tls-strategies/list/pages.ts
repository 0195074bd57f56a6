import { preloadable } from "../../../components/preloadable";
import { preloadLeaveDialog } from "../../../navigation/navigation-guard";
import { preloadSaveCode } from "../../../pending-apply/notice-slot";

// The form's pages load on demand: the list is what an admin opens most. Their code, and
// the code a save runs after its answer, is fetched when the browser is idle after the list,
// or as soon as a pointer or the keyboard reaches a link to them: a click never waits for it,
// and a save sends only its own requests.

/**
 * What a form loads as it renders or as it is first changed: its "Test against a destination"
 * region (form/destination-test.tsx) and the leave-without-saving question. Fetched with the
 * form's code, so that opening a form and typing in it cost only the form's own requests.
 */
function preloadFormParts() {
  preloadSaveCode();
  preloadLeaveDialog();
  void import("../form/destination-test").catch(() => undefined);
}

/** The edit page (edit/edit-page.tsx). */
export const editPage = preloadable(() => {
  preloadFormParts();
  return import("../edit/edit-page");
});

/** The create and duplicate page (edit/create-page.tsx). */
export const createPage = preloadable(() => {
  preloadFormParts();
  return import("../edit/create-page");
});
