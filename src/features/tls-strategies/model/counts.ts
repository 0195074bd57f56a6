/** Numbers as the page writes them: "1,100". */
export const numbers = new Intl.NumberFormat("en");

/** "1 strategy", "1,100 strategies". */
export const strategies = (count: number) =>
  `${numbers.format(count)} ${count === 1 ? "strategy" : "strategies"}`;
