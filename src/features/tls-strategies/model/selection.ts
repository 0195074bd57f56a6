// Which strategies of the list are ticked: shared by the list (eager) and its bulk actions
// (loaded when something is selected), so the lazy module never imports its loader.

/** Which strategies are ticked: by id, with the name shown when asking to delete them. */
export interface Selection {
  names: Map<string, string>;
  /** Set when "Select all … that match" filled it: the search it covered and its size then. */
  allMatching: { search: string; total: number } | null;
}

export const NOTHING_SELECTED: Selection = { names: new Map(), allMatching: null };
