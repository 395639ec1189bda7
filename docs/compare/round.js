// @ts-check
/*
 * The compare page's health checks ("rounds"): started here, kept in this browser only.
 *
 * A round is the partnership's name, the organiser's relationship, how many people are expected
 * from each organisation, a deadline, its public key, the open actions of the last workshop, and
 * the time it was made; its responses are a list of their own (app.js keeps them, one list per
 * round), its private key sits in IndexedDB (javascripts/keystore.js), non-extractable, and was
 * written once to a passphrase-protected backup file. Rounds are a list two tabs merge
 * (javascripts/merge.js); which round a tab shows is the tab's own (sessionStorage), and the
 * last one chosen opens next time.
 *
 * Every word of an invitation comes from the engine (team_page.round_invitations).
 */
import { download } from "../javascripts/files.js";
import { dropKey, keepKey, loadKey } from "../javascripts/keystore.js";
import {
  addEntry,
  changeEntry,
  checkList,
  emptyList,
  listEntries,
  mergeLists,
  removeEntries,
} from "../javascripts/merge.js";
import { $, SITE_URL, announce, clause, kept, manifest, notice, randomId } from "../javascripts/page.js";
import { makeBackup, makeRoundKeys, openBackup } from "../javascripts/seal.js";

/**
 * @typedef {{what: string, owner: string, due: string, status: string}} Action
 * @typedef {{
 *   id: string, name: string, relationship: string, expected: {ours: number, theirs: number},
 *   deadline: string, public_key: string, created: string, actions: Action[],
 * }} Round
 * @typedef {import("../javascripts/merge.js").KeptList<Round>} RoundList
 */

const ACTION_STATUSES = manifest.actions.statuses;
const ROUND_ID = new RegExp(manifest.rounds.id_pattern);

/** A saved round, checked field by field; undefined if it is not one. */
const checkRound = (/** @type {any} */ raw) => {
  if (!raw || typeof raw !== "object" || !ROUND_ID.test(raw.id ?? "")) return undefined;
  if (typeof raw.public_key !== "string" || typeof raw.relationship !== "string") return undefined;
  const count = (/** @type {unknown} */ value) =>
    Number.isInteger(value) && /** @type {number} */ (value) > 0 ? /** @type {number} */ (value) : 1;
  const text = (/** @type {unknown} */ value, /** @type {number} */ max) =>
    typeof value === "string" ? value.slice(0, max) : "";
  const actions = Array.isArray(raw.actions) ? raw.actions : [];
  return /** @type {Round} */ ({
    id: raw.id,
    name: text(raw.name, manifest.rounds.name_chars),
    relationship: raw.relationship,
    expected: { ours: count(raw.expected?.ours), theirs: count(raw.expected?.theirs) },
    deadline: text(raw.deadline, 10),
    public_key: raw.public_key,
    created: text(raw.created, 30),
    actions: actions.slice(0, manifest.actions.most).map((/** @type {any} */ a) => ({
      what: text(a?.what, manifest.actions.what_chars),
      owner: text(a?.owner, manifest.actions.owner_chars),
      due: text(a?.due, 10),
      status: ACTION_STATUSES.includes(a?.status) ? a.status : "open",
    })),
  });
};

const ROUNDS = kept("compare:rounds", (raw) => checkList(raw, checkRound));
const CHOSEN = kept("compare:round", (raw) => (typeof raw === "string" ? raw : undefined), "sessionStorage");
const LAST = kept("compare:last-round", (raw) => (typeof raw === "string" ? raw : undefined));

/**
 * The health checks of this page.
 * @param {{
 *   engine: import("../javascripts/engine.js").Engine,
 *   relationships: () => Array<{id: string, name: string}>,
 *   responses: () => Array<{organisation?: number, label?: string}>,
 *   onChange: (round: Round | null) => void,
 *   saveFailed: () => void,
 * }} page
 */
export const startRounds = (page) => {
  /** @type {RoundList} */
  let rounds = ROUNDS.read().value ?? emptyList();
  /** @type {string} */
  let activeId = CHOSEN.read().value ?? LAST.read().value ?? "";

  const say = (/** @type {string} */ text) => notice(text, "pp-round-message");

  const save = () => {
    const stored = ROUNDS.read().value;
    rounds = stored ? mergeLists(rounds, stored) : rounds;
    if (!ROUNDS.write(rounds)) page.saveFailed();
  };

  /** The round shown here, or null. */
  const active = () => rounds.entries[activeId]?.value ?? null;

  const choose = (/** @type {string} */ id) => {
    activeId = id;
    CHOSEN.write(id);
    LAST.write(id);
    render();
    page.onChange(active());
  };

  /* ---- What the page shows ------------------------------------------------------------ */

  const render = () => {
    const listed = listEntries(rounds);
    const select = /** @type {HTMLSelectElement} */ ($("pp-round-switch"));
    select.replaceChildren(
      new Option("No health check: compare codes freely", ""),
      ...listed.map(({ id, value }) => new Option(value.name || `Health check of ${value.created.slice(0, 10)}`, id)),
    );
    if (!rounds.entries[activeId]) activeId = "";
    select.value = activeId;
    $("pp-round-choice").hidden = listed.length === 0;
    const round = active();
    $("pp-round-active").hidden = !round;
    if (!round) return;
    renderStatus(round);
    renderActions(round);
    fillInvitations(round);
  };

  /** Received against expected, per organisation. */
  const renderStatus = (/** @type {Round} */ round) => {
    const responses = page.responses();
    // The manifest's organisations after "not said": ours, then the partner's.
    const [ours, theirs] = manifest.organisations.filter((o) => o.number !== 0).map((o) => o.number);
    const count = (/** @type {number} */ organisation) =>
      responses.filter((r) => r.organisation === organisation).length;
    const unsaid = responses.filter((r) => !r.organisation).length;
    $("pp-round-status").textContent =
      `${round.name || "This health check"}: ${count(ours)} of ${round.expected.ours} replies ` +
      `from your organisation, ${count(theirs)} of ${round.expected.theirs} from the partner's` +
      (unsaid ? `, and ${unsaid} whose organisation is not said.` : ".") +
      (round.deadline ? ` Answers wanted by ${round.deadline}.` : "");
  };

  const fillInvitations = async (/** @type {Round} */ round) => {
    const assessment = new URL("assessment/", SITE_URL).href;
    const reply = await page.engine.ask("round_invitations", round, assessment);
    if (!reply.ok) {
      say(`The invitations could not be made: ${reply.error}`);
      return;
    }
    /** @type {HTMLInputElement} */ ($("pp-invite-ours")).value = reply.links.ours;
    /** @type {HTMLInputElement} */ ($("pp-invite-theirs")).value = reply.links.theirs;
    /** @type {HTMLTextAreaElement} */ ($("pp-invite-text")).value = reply.messages.ours;
    /** @type {HTMLTextAreaElement} */ ($("pp-reminder-text")).value = reply.reminders.ours;
  };

  const renderActions = (/** @type {Round} */ round) => {
    $("pp-actions-table").hidden = round.actions.length === 0;
    $("pp-actions-rows").replaceChildren(
      ...round.actions.map((action, index) => {
        const row = document.createElement("tr");
        for (const text of [action.what, action.owner, action.due || "not set"]) {
          const cell = document.createElement("td");
          cell.textContent = text;
          row.append(cell);
        }
        const statusCell = document.createElement("td");
        const status = document.createElement("select");
        status.setAttribute("aria-label", `Status of action ${index + 1}`);
        status.append(...ACTION_STATUSES.map((s) => new Option(s, s)));
        status.value = action.status;
        status.addEventListener("change", () => {
          updateRound({ actions: round.actions.map((a, i) => (i === index ? { ...a, status: status.value } : a)) });
        });
        statusCell.append(status);
        const removeCell = document.createElement("td");
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "md-button";
        remove.textContent = "Remove";
        remove.setAttribute("aria-label", `Remove action ${index + 1}`);
        remove.addEventListener("click", () => {
          updateRound({ actions: round.actions.filter((_, i) => i !== index) });
        });
        removeCell.append(remove);
        row.append(statusCell, removeCell);
        return row;
      }),
    );
  };

  const updateRound = (/** @type {Partial<Round>} */ change) => {
    const round = active();
    if (!round) return;
    rounds = changeEntry(rounds, activeId, { ...round, ...change });
    save();
    render();
    page.onChange(active());
  };

  /* ---- Starting a health check -------------------------------------------------------- */

  $("pp-round-new").addEventListener("click", () => {
    const select = /** @type {HTMLSelectElement} */ ($("pp-round-relationship"));
    select.replaceChildren(...page.relationships().map((r) => new Option(r.name, r.id)));
    $("pp-round-form").hidden = false;
    $("pp-round-name").focus();
  });
  $("pp-round-cancel").addEventListener("click", () => {
    $("pp-round-form").hidden = true;
  });

  $("pp-round-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ ($(id)).value;
    const passphrase = value("pp-round-passphrase");
    // The shortest passphrase that protects the backup enough: the field's own minlength.
    const shortest = /** @type {HTMLInputElement} */ ($("pp-round-passphrase")).minLength;
    if (passphrase.length < shortest) {
      say(`Choose a passphrase of ${shortest} characters or more for the key's backup.`);
      $("pp-round-passphrase").focus();
      return;
    }
    if (passphrase !== value("pp-round-passphrase-again")) {
      say("The two passphrases differ: type the same one twice.");
      $("pp-round-passphrase-again").focus();
      return;
    }
    // The most people a health check expects from one side: the form's own limit.
    const most = Number(/** @type {HTMLInputElement} */ ($("pp-round-ours")).max);
    const expected = (/** @type {string} */ id) => {
      const number = Number(value(id));
      return Number.isInteger(number) && number > 0 && number <= most ? number : 0;
    };
    if (!expected("pp-round-ours") || !expected("pp-round-theirs")) {
      say(`Say how many people you expect from each organisation: a whole number from 1 to ${most}.`);
      return;
    }
    try {
      const keys = await makeRoundKeys();
      const id = randomId(8);
      /** @type {Round} */
      const round = {
        id,
        name: value("pp-round-name").trim().slice(0, manifest.rounds.name_chars),
        relationship: value("pp-round-relationship"),
        expected: { ours: expected("pp-round-ours"), theirs: expected("pp-round-theirs") },
        deadline: value("pp-round-deadline"),
        public_key: keys.publicKey,
        created: new Date().toISOString(),
        actions: [],
      };
      await keepKey(id, keys.privateKey);
      const backup = await makeBackup(keys.pkcs8, id, passphrase, undefined, round);
      keys.pkcs8.fill(0);
      download(`health-check-key-${id}.json`, "application/json", backup);
      rounds = addEntry(rounds, round, Date.now(), id);
      save();
      for (const field of ["pp-round-passphrase", "pp-round-passphrase-again"]) {
        /** @type {HTMLInputElement} */ ($(field)).value = "";
      }
      $("pp-round-form").hidden = true;
      say("");
      choose(id);
      announce("The health check was created and its key's backup saved. Send the invitations.");
    } catch (error) {
      say(`The health check could not be created: ${clause(error)}.`);
    }
  });

  /* ---- The key's backup ---------------------------------------------------------------- */

  $("pp-round-restore-file").addEventListener("change", async (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    if (file.size > 100_000) {
      say("That file is far larger than a key's backup: nothing was restored.");
      return;
    }
    const passphrase = window.prompt("The passphrase of this key's backup:") ?? "";
    if (!passphrase) return;
    try {
      const { round, about, privateKey } = await openBackup(await file.text(), passphrase);
      await keepKey(round, privateKey);
      // Another browser takes the health check up from the file alone.
      const described = checkRound(about);
      if (!rounds.entries[round] && described && described.id === round) {
        rounds = addEntry(rounds, described, Date.now(), round);
        save();
      }
      say(
        rounds.entries[round]
          ? "The key was restored: this browser can open the health check's replies again."
          : "The key was restored, but the file does not describe its health check.",
      );
      if (rounds.entries[round]) choose(round);
    } catch (error) {
      say(`Nothing was restored: ${clause(error)}.`);
    }
  });

  /* ---- Open actions ------------------------------------------------------------------- */

  $("pp-action-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const round = active();
    const what = /** @type {HTMLInputElement} */ ($("pp-action-what"));
    if (!round || !what.value.trim()) {
      what.focus();
      return;
    }
    const owner = /** @type {HTMLInputElement} */ ($("pp-action-owner"));
    const due = /** @type {HTMLInputElement} */ ($("pp-action-due"));
    updateRound({
      actions: [
        ...round.actions,
        { what: what.value.trim(), owner: owner.value.trim(), due: due.value, status: "open" },
      ],
    });
    what.value = owner.value = due.value = "";
    announce("The action was added.");
  });

  /* ---- Switching, leaving, deleting, exporting ------------------------------------------ */

  $("pp-round-switch").addEventListener("change", (event) => {
    choose(/** @type {HTMLSelectElement} */ (event.target).value);
  });
  $("pp-round-leave").addEventListener("click", () => choose(""));

  $("pp-round-delete").addEventListener("click", async () => {
    const round = active();
    if (!round) return;
    const sure = window.confirm(
      `Delete the health check ${round.name ? `“${round.name}”` : ""} and its responses from this ` +
        "browser? Its key is deleted too: replies still to come can then be opened only with the " +
        "key's backup file and its passphrase.",
    );
    if (!sure) return;
    await dropKey(round.id).catch(() => undefined);
    rounds = removeEntries(rounds, [round.id]);
    save();
    choose("");
    announce("The health check was deleted.");
  });

  $("pp-round-export").addEventListener("click", () => {
    const round = active();
    if (!round) return;
    // The responses without the labels given here: those never leave this browser.
    const responses = page.responses().map((response) => ({ ...response, label: undefined }));
    const file = {
      format: manifest.round_file.format,
      version: manifest.round_file.version,
      round: round.id,
      name: round.name,
      relationship: round.relationship,
      expected: round.expected,
      deadline: round.deadline || null,
      actions: round.actions,
      responses,
    };
    download(`health-check-${round.id}.json`, "application/json", JSON.stringify(file, null, 2));
  });

  for (const button of document.querySelectorAll("#pp-round [data-copy]")) {
    button.addEventListener("click", async () => {
      const field = /** @type {HTMLInputElement} */ ($(/** @type {HTMLElement} */ (button).dataset.copy ?? ""));
      field.select();
      try {
        await navigator.clipboard.writeText(field.value);
        announce("Copied.");
      } catch {
        announce("Select the text and copy it with your keyboard.");
      }
    });
  }

  ROUNDS.onChange(() => {
    const stored = ROUNDS.read().value;
    if (stored) rounds = mergeLists(rounds, stored);
    render();
  });

  render();
  return {
    /** The round shown here, or null. */
    active,
    /** Refresh what depends on the responses (received counts). */
    refresh: () => {
      const round = active();
      if (round) renderStatus(round);
    },
    /** The private key of `round`, if this browser holds it. */
    key: (/** @type {string} */ round) => loadKey(round),
    /** The rounds kept here, by id (to name a reply's round). */
    known: (/** @type {string} */ round) => rounds.entries[round]?.value ?? null,
  };
};
