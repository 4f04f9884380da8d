/** How a report's words write a time: ISO 8601 as recorded in the API, the reader's local time in the console. */
export type TimeFormat = (iso: string) => string;
