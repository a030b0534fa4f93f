export { BookLadder } from './book-ladder.js';
export { L2OrderBook } from './l2-book.js';
export type { BookLevel, BookLevels } from './l2-book.js';
