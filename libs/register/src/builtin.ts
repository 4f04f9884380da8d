import data from './data/order-328-O.json';
import type { Register } from './register.model';
import { parseRegister } from './register.schema';

/** Order No. 328-Ө of 4 December 2025 (Ministry of Ecology and Natural Resources), version 1, checked at load. */
export const ORDER_328_O: Register = parseRegister(data, 'built-in order-328-O.json');

/** The registers shipped with the service; operator files may replace them by id and version. */
export const BUILT_IN_REGISTERS: readonly Register[] = Object.freeze([ORDER_328_O]);
