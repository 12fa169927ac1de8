import { v7 as uuidv7 } from "uuid";
import type { IdGenerator } from "../app/index.js";

export const uuidV7Ids: IdGenerator = { newId: () => uuidv7() };
