// @ts-check
import { startEngine } from "../javascripts/engine.js";
import { $, announce, markStarted } from "../javascripts/page.js";

markStarted();
const engine = startEngine();
$("pp-greet-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = /** @type {HTMLInputElement} */ ($("pp-name")).value;
  const reply = await engine.call("greet", name);
  $("pp-greeting").textContent = reply.ok ? reply.text : reply.error;
  announce(reply.ok ? reply.text : reply.error);
});
