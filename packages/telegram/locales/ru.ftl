# TelePay — русский. Тексты в HTML Telegram; { $placeholders } подставляет (и экранирует)
# packages/telegram/src/catalog. Ключи и плейсхолдеры совпадают во всех языках (это проверяет тест).

## Общее

days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}
this-channel = этот канал
plan-default = Подписка
join-button = Вступить в { $title }

## Уведомления: подписчикам

n-plan-line = Тариф: { $plan } — { $price }
n-how-join-request = Нажмите кнопку и отправьте заявку на вступление — для вашего аккаунта она одобрится автоматически. Ссылка действует 24 часа.
n-how-member-limit = Нажмите кнопку, чтобы вступить. Ссылка одноразовая и действует 24 часа.
n-access-invite =
    ✅ <b>Оплата получена — добро пожаловать в { $title }!</b>

    { $plan }
    Доступ до: <b>{ $until }</b>

    { $how }
n-manual-grant =
    🎁 <b>Вам открыли доступ к { $title }.</b>

    Доступ до: <b>{ $until }</b>

    { $how }
n-access-renewed =
    🔁 <b>Подписка на { $title } продлена до { $until }.</b>

    { $plan }
    Спасибо, что остаётесь с нами!
n-access-extended = 🗓 Ваш доступ к <b>{ $title }</b> теперь действует до <b>{ $until }</b>.
n-access-revoked = ⛔ Владелец канала закрыл вам доступ к <b>{ $title }</b>.
n-access-expired =
    ⌛ Подписка на <b>{ $title }</b> закончилась, поэтому вы больше не в канале.

    Возвращайтесь, когда захотите.
n-renew-button = Продлить
n-access-pending =
    ✅ <b>Оплата за { $title } получена</b> — доступ действует до <b>{ $until }</b>.

    Сейчас бот не может создать для вас ссылку-приглашение; владелец канала уже в курсе. Позже загляните в /subscriptions — ссылка будет там.
n-expiry-reminder =
    ⏰ Подписка на <b>{ $title }</b> закончится через { $days } — <b>{ $until }</b>.

    Продлите сейчас, чтобы не потерять доступ: новое время добавится к оставшемуся.
n-grace-reminder =
    ⌛ Подписка на <b>{ $title }</b> закончилась <b>{ $expired }</b>. Доступ сохранится до <b>{ $until }</b> — ещё есть время.

    Продлите до этого срока, и новые дни отсчитаются от старой даты окончания.
n-plans-button = Все тарифы
n-trial-reminder =
    ⏰ Пробный период в <b>{ $title }</b> закончится через { $days } — <b>{ $until }</b>.

    Понравилось? Выберите тариф, чтобы остаться в канале.
n-donation-thanks = 💛 <b>Спасибо!</b> Ваш донат { $amount } для <b>{ $title }</b> получен.
n-payment-confirming = ⏳ Видим ваш платёж за <b>{ $title }</b>. Ждём подтверждений сети — доступ откроется сразу после них. Ничего делать не нужно.
n-partial-detail = Получено { $received } из { $expected }; <b>не хватает { $missing }</b>.
n-partial-unknown = Получено меньше, чем указано в счёте.
n-payment-partial =
    ⚠️ Платёж за <b>{ $title }</b> неполный. { $detail }

    Доплатите недостающую сумму на тот же адрес, пока счёт не истёк, или напишите владельцу канала.
n-payment-failed = ❌ Платёж за <b>{ $title }</b> не прошёл, доступ не выдан. Новый заказ можно оформить из меню канала.
n-payment-expired = ⌛ Счёт за <b>{ $title }</b> истёк, а оплата так и не пришла. Если доступ ещё нужен, оформите новый заказ из меню канала.
n-payment-refunded = ↩️ Платёж за <b>{ $title }</b> возвращён.
n-reversal-removed = ↩️ Платёж за <b>{ $title }</b> возвращён, поэтому оплаченный им доступ отозван, и вы удалены из канала.
n-reversal-shortened = ↩️ Платёж за <b>{ $title }</b> возвращён, поэтому оплаченное им время вычтено из вашей подписки. Теперь доступ действует до <b>{ $until }</b>.
n-reversal-not-granted = ↩️ Платёж за <b>{ $title }</b> возвращён до того, как был открыт доступ, поэтому доступ не предоставлен.

## Уведомления: посты в каналах (на языке канала)

n-tier-post-line = • { $label }: { $price } за { $days }
n-tier-post =
    🔒 <b>{ $title }</b>
    { $description }
    { $tiers }

    Оплата криптовалютой, доступ выдаётся автоматически.
n-tier-post-button = { $label } — { $price }
n-donation-post = 💛 Нравится <b>{ $title }</b>? Поддержите канал донатом.
n-donate-button = 💛 Поддержать

## Уведомления: владельцам (на языке владельца)

n-someone = Кто-то
n-paid-with-price = { $paid } (цена { $price })
n-owner-payment-head = 💰 <b>Новая оплата подписки — { $title }</b>
n-owner-donation-head = 💛 <b>Новый донат — { $title }</b>
n-owner-customer = Покупатель: { $customer }
n-owner-tier = Тариф: { $tier }
n-owner-paid = Оплачено: { $paid }
n-owner-until = Доступ до: { $until }
n-owner-payout = Выплата: { $payout }
n-owner-order = Заказ: <code>{ $reference }</code>
n-owner-reversal-head = ↩️ <b>Возврат — { $title }</b>
n-owner-reversal-refunded = Возвращено: { $amount }
n-owner-reversal-removed = Оплаченное этим заказом время отозвано. Оплаченного времени не осталось, поэтому подписчик удаляется из канала.
n-owner-reversal-shortened = Оплаченное этим заказом время отозвано. Теперь доступ действует до <b>{ $until }</b>.
n-owner-reversal-not-granted = Доступ ещё не был открыт и по этому заказу открыт не будет.
n-owner-reversal-nothing = Неиспользованного времени по этому заказу не осталось.
n-broadcast-running = 📤 <b>Рассылка по { $title }…</b>
n-broadcast-done = ✅ <b>Рассылка по { $title } завершена.</b>
n-broadcast-failed-why = { " " }(заблокировали бота или удалили аккаунт)
n-broadcast-progress =
    { $head }

    Доставлено: { $sent } из { $total }
    Не доставлено: { $failed }{ $why }
n-owner-cannot-invite = ⚠️ Не получилось создать ссылку-приглашение в <b>{ $title }</b>: у меня нет нужных прав администратора. Сделайте меня админом с правами приглашать и блокировать пользователей и публиковать сообщения.
n-owner-cannot-publish = ⚠️ Не получилось опубликовать пост в <b>{ $title }</b>: у меня нет нужных прав администратора. Сделайте меня админом с правами приглашать и блокировать пользователей и публиковать сообщения.
n-owner-removal-failed = ⚠️ Не получается удалить пользователя <code>{ $user }</code> из <b>{ $title }</b>: { $reason }. Буду пробовать ещё.

## Уведомления: платежи на проверке (владельцу)

n-review-head = 🔎 <b>Платёж ждёт вашего решения — { $title }</b>
n-review-order = Заказ: { $order } · <code>{ $reference }</code>
n-review-asked = Запрошено: { $amount }
n-review-arrived = Пришло: { $amount }
n-review-payment = Платёж: <code>{ $id }</code> ({ $status })
n-review-can-grant = <b>Выдать доступ</b> — как за оплаченный заказ. <b>Отклонить</b> — записать причину (например, что вы вернули деньги).
n-review-cannot-grant = Доступ за этот платёж выдать нельзя. Когда разберётесь (например, вернёте деньги), отклоните его с пометкой.
n-review-grant-button = ✅ Всё равно выдать доступ
n-review-dismiss-button = ✖️ Отклонить с пометкой
n-review-reason-underpaid = Счёт оплачен на меньшую сумму, чем стоит заказ.
n-review-reason-paid-short = Пришло меньше, чем запрашивал платёж.
n-review-reason-partially-paid = Пришла только часть суммы.
n-review-reason-overpaid = Пришло больше, чем запрашивал платёж. Доступ выдан; возможно, покупателю нужно вернуть разницу.
n-review-reason-currency-mismatch = Счёт выставлен не в той валюте, что заказ.
n-review-reason-re-deposit = На адрес прошлого платежа пришёл ещё один перевод.
n-review-reason-duplicate-payment = Этот заказ уже оплачен — это повторный платёж.
n-review-reason-invoice-mismatch = Платёж относится к другому счёту, не к этому заказу.
n-review-reason-pay-changed = После начала оплаты изменилась монета или запрошенная сумма.
n-review-reason-missing-amount = В отчёте о платеже не указано, сколько пришло.
n-review-reason-unknown-status = NOWPayments прислал статус платежа, который TelePay не знает.
n-review-reason-other = Платёж не совпадает с заказом.

## Owner dashboard (Mini App): apps/bot-gateway/src/dashboard. { $x } placeholders are filled in the browser.
dash-button = 📊 Панель
dash-title = Панель TelePay
dash-loading = Загрузка…
dash-choose-channel = Ваши каналы
dash-no-channels = У вас пока нет каналов. Добавьте канал командой /newchannel в боте.
dash-refused-missing = Откройте панель из бота (/mychannels): Telegram не передал данные для входа.
dash-refused-stale = Эта сессия устарела. Закройте панель и откройте её снова из /mychannels.
dash-refused-forged = Подпись Telegram не совпала. Откройте панель заново из /mychannels.
dash-refused-not-owner = Это не ваш канал.
dash-refused-rights = По данным Telegram, вы больше не администратор этого канала или бот потерял права администратора. Проверьте в /mychannels.
dash-invalid-input = Не сохранено: { $reason }
dash-failed = Что-то пошло не так. Попробуйте чуть позже.
dash-status = Статус: { $status }
dash-revenue-monthly = Выручка по месяцам
dash-revenue-daily = Выручка по дням (последние 30 дней)
dash-rail-crypto = Криптовалюта (NOWPayments)
dash-rail-stars = Telegram Stars
dash-no-revenue = За этот период оплаченных заказов нет.
dash-by-tier = По тарифам
dash-donations = Донаты
dash-tier-retired = { $label } (тариф снят с продажи)
dash-orders = Оплачено: { $n }
dash-subscribers = Подписчики
dash-active-now = Активных сейчас
dash-mrr = Регулярная выручка в месяц (MRR)
dash-mrr-none = —
dash-new-vs-churned = Новые и ушедшие по месяцам
dash-new-label = Новые
dash-churned-label = Ушли
dash-funnel = Конверсия (последние 30 дней)
dash-funnel-opened = Открыли предложение
dash-funnel-invoices = Выставлено счетов
dash-funnel-paid = Оплатили
dash-reviews = Платежи, требующие проверки
dash-reviews-none = Проверять нечего.
dash-reviews-help = «Выдать доступ» — как будто заказ оплачен полностью. «Отклонить» — сохранить вашу пометку (например, что вы вернули деньги), больше ничего не меняя.
dash-review-grant = Всё равно выдать доступ
dash-review-dismiss = Отклонить
dash-review-note = Пометка (необязательно)
dash-review-granted = Доступ выдан: покупатель получит приглашение.
dash-review-dismissed = Отклонено.
dash-review-conflict = Уже решено или изменилось за это время: { $reason }
dash-tiers = Тарифы
dash-tier-label = Название
dash-tier-price = Цена
dash-tier-days = Дней
dash-add-tier = Добавить тариф
dash-remove-tier = Удалить
dash-save-tiers = Сохранить тарифы
dash-saved-tiers = Сохранено. Пост с тарифами в открытом канале обновляется.
dash-as-of = Данные на { $time } (UTC)
dash-trials = Пробный период (последние 30 дней)
dash-trials-started = Начали
dash-trials-converted = Потом оплатили
dash-promos = Промокоды
dash-promos-none = Промокодов пока нет. Создайте их в /mychannels или командой telepay promo add.
dash-promo-uses = использован { $uses } раз
dash-promo-uses-of = использован { $uses } из { $max }
dash-promo-expires = до { $date }
dash-promo-disabled = отключён
