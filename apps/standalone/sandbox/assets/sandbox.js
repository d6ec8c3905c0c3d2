// The sandbox page: renders /api/state into the panes and re-reads it whenever the server says the
// emulated Telegram changed (Server-Sent Events). Message HTML arrives already made safe by the
// server (render.ts); everything else is set as text.

const panes = new Map([...document.querySelectorAll("[data-pane]")].map((el) => [el.dataset.pane, el]));
let loading = false;
let again = false;

function toast(pane, text, isError) {
  const el = pane.querySelector(".toast");
  el.textContent = text;
  el.classList.toggle("error", Boolean(isError));
  el.hidden = false;
  clearTimeout(el.timer);
  el.timer = setTimeout(() => {
    el.hidden = true;
  }, 4000);
}

async function post(path, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(answer.error?.message ?? `HTTP ${res.status}`);
  return answer;
}

function buttonElement(button, tap) {
  if (button.kind === "open") {
    const a = document.createElement("a");
    a.className = "kb";
    a.href = button.href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.textContent = `${button.text} ↗`;
    return a;
  }
  const el = document.createElement("button");
  el.type = "button";
  el.className = `kb ${button.kind}`;
  el.textContent = button.text;
  if (button.kind === "inert") el.disabled = true;
  else el.addEventListener("click", tap);
  return el;
}

function messageElement(message, chatId, actingRole, pane) {
  const li = document.createElement("li");
  li.className = `msg ${message.fromBot ? "in" : "out"}`;
  li.dataset.messageId = String(message.id);
  if (message.forwardedFrom) {
    const origin = document.createElement("div");
    origin.className = "forwarded";
    origin.textContent = `↪ Forwarded from ${message.forwardedFrom}`;
    li.append(origin);
  }
  if (message.document) {
    const doc = document.createElement("div");
    doc.className = "document";
    doc.textContent = `📎 ${message.document}`;
    li.append(doc);
  }
  const text = document.createElement("div");
  text.className = "text";
  text.innerHTML = message.html; // safe: built by the server from escaped text and fixed tags
  li.append(text);
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = `${message.edited ? "edited " : ""}${message.time}`;
  li.append(meta);
  message.buttons.forEach((row, r) => {
    const rowEl = document.createElement("div");
    rowEl.className = "kb-row";
    row.forEach((button, c) => {
      rowEl.append(
        buttonElement(button, async (event) => {
          const el = event.currentTarget;
          el.disabled = true;
          try {
            const answer = await post("/api/tap", {
              as: actingRole(),
              chatId,
              messageId: message.id,
              row: r,
              col: c,
            });
            if (answer.toast) toast(pane, answer.toast);
          } catch (err) {
            toast(pane, err.message, true);
          } finally {
            el.disabled = false;
          }
        }),
      );
    });
    li.append(rowEl);
  });
  return li;
}

function fill(pane, messages, chatId, actingRole) {
  const list = pane.querySelector(".messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren(...messages.map((m) => messageElement(m, chatId, actingRole, pane)));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function render(state) {
  for (const person of state.people) {
    const pane = panes.get(person.role);
    fill(pane, person.messages, person.id, () => person.role);
  }
  for (const channel of state.channels) {
    const pane = panes.get(channel.role);
    const select = pane.querySelector("select[data-as-for]");
    fill(pane, channel.posts, channel.id, () => select.value);
    const members = pane.querySelector(".members");
    if (members) {
      const list = document.createElement("ul");
      for (const m of channel.members) {
        const li = document.createElement("li");
        li.dataset.status = m.status;
        li.textContent = `${m.name}${m.bot ? " (bot)" : ""} · ${m.status}`;
        list.append(li);
      }
      for (const name of channel.joinRequests) {
        const li = document.createElement("li");
        li.dataset.status = "requested";
        li.textContent = `${name} · asked to join`;
        list.append(li);
      }
      const title = document.createElement("h2");
      title.textContent = "Members";
      members.replaceChildren(title, list);
    }
  }
  document.body.dataset.revision = String(state.revision);
}

async function refresh() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    do {
      again = false;
      const res = await fetch("/api/state");
      if (res.ok) render(await res.json());
    } while (again);
  } finally {
    loading = false;
  }
}

for (const form of document.querySelectorAll("form.compose")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = form.elements.text;
    const text = input.value;
    if (text.trim() === "") return;
    try {
      await post("/api/say", { as: form.dataset.role, text });
      input.value = "";
    } catch (err) {
      toast(form.closest("[data-pane]"), err.message, true);
    }
  });
}

const events = new EventSource("/api/events");
events.addEventListener("revision", () => void refresh());
void refresh();
