import { proveLabs } from './helpers/labs-suite.js';

await proveLabs(['05', '06', '07', '08']);
