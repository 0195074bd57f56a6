// The inline script of index.html (vite.config.ts, inlineEarlyRequests): on a reload of the
// list, its first data requests leave before the page's JavaScript has downloaded.
import { replayEarlyRequests } from "./early-replay";

replayEarlyRequests();
