export { WindowExec, type WindowOptions, type WindowSpec } from './window.js';
