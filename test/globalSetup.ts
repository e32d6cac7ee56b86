// Builds the bot once before the suite: the end-to-end tests run the compiled bot, as `npm start` does.
import { build } from '../scripts/build';

export default async function setup(): Promise<void> {
  await build();
}
