/** The browsers the build is for: every one has CSS light-dark() and `<link rel=modulepreload>`. */
export const BROWSER_TARGET = ["chrome123", "edge123", "firefox120", "safari17.5"];
