export { Data } from './data.js';
export { DataFrame } from './dataframe.js';
export { Message, defaultProperties } from './message.js';
export type { MessageInit, MessageProperties, ContentBlock, MessageSource } from './message.js';
export { toText, toMessage, toData, toDataFrame, plain, dataFrameToMarkdown } from './convert.js';
export { langflowTimestamp } from './time.js';
