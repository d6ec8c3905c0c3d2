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
n-trial-invite =
    🎁 <b>Пробный период в { $title } начался.</b>

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

## Бот: общее

b-there = друг
b-welcome =
    👋 <b>Привет, { $name }!</b>

    Я продаю доступ к закрытым Telegram-каналам с оплатой в криптовалюте.

    • Увидели в канале пост с тарифами? Нажмите на тариф — дальше я всё сделаю сам.
    • /subscriptions — ваши подписки, продление и возвращение в канал
    • /newchannel — продавать доступ к своему каналу
    • /mychannels — управлять каналами, которые вы продаёте
    • /language — язык, на котором я вам пишу
    • /help — как всё устроено
b-help =
    <b>Как работает TelePay</b>

    <b>Подписчикам</b>
    1. Нажмите на тариф в посте канала (или откройте ссылку, которую вам дали).
    2. Оплатите счёт в удобной криптовалюте.
    3. Как только платёж подтвердится, я пришлю ссылку в закрытый канал.
    Продлить можно в любой момент через /subscriptions: новый срок добавится к оставшемуся.

    <b>Владельцам каналов</b>
    /newchannel шаг за шагом поможет подключить открытый и закрытый каналы, тарифы и кошелёк для выплат.
    /mychannels покажет подписчиков и выручку; там же можно менять тарифы и тексты, выгружать платежи и приостанавливать продажи.
    /broadcast — написать подписчикам (активным, с истёкшей подпиской или всем, кто платил): текст или фото, с предпросмотром перед отправкой.

    /language меняет язык, на котором я вам пишу. /cancel прерывает то, что вы сейчас делаете.
b-unknown-input = Не понял вас. Отправьте /help, чтобы узнать, что я умею.
b-stale-button = С момента отправки этого сообщения предложение изменилось. Отправьте /help, чтобы начать заново, или снова откройте пост канала.
b-offer-changed = ℹ️ Предложение изменилось. Вот что доступно сейчас:
b-offer-changed-toast = Предложение изменилось
b-stale-button-toast = Эта кнопка устарела
b-something-went-wrong = 😕 У меня что-то пошло не так. Попробуйте ещё раз через минуту.
b-something-went-wrong-toast = Что-то пошло не так — попробуйте ещё раз
b-link-not-recognised = Эта ссылка никуда не ведёт. Откройте пост канала ещё раз или отправьте /help.
b-cancelled = Отменено. Ничего не изменилось.
b-nothing-to-cancel = Отменять нечего.
b-yes = Да
b-no = Нет
b-confirm = ✅ Подтвердить
b-cancel = ✖️ Отмена
b-retry = 🔁 Попробовать ещё раз
b-start-again = Начать заново
b-language-prompt = 🌐 На каком языке мне вам писать?
b-language-saved = ✅ Готово: теперь я пишу вам по-русски.
b-language-saved-toast = Теперь по-русски

## Бот: меню команд

b-cmd-start = Начать
b-cmd-subscriptions = Мои подписки, продление и возвращение в канал
b-cmd-newchannel = Продавать доступ к своему каналу
b-cmd-mychannels = Управлять своими каналами
b-cmd-language = Выбрать язык
b-cmd-help = Как работает TelePay
b-cmd-cancel = Прервать текущее действие

## Бот: подписчикам

b-tier-line = • <b>{ $label }</b> — { $price } за { $days }
b-channel-not-found = Не могу найти этот канал. Возможно, ссылка устарела.
b-channel-unavailable = <b>{ $title }</b> сейчас не принимает новых подписчиков. Загляните позже.
b-menu-head = <b>{ $title }</b>
b-menu-head-renewal = 🔁 Продление: <b>{ $title }</b>
b-menu-choose = Выберите тариф:
b-menu-renewal-note = При продлении новый срок добавляется к оставшемуся.
b-tier-button = { $label } · { $price } / { $days }
b-buy-button = Продолжить — { $price }
b-other-plans = Все тарифы
b-see-plans = Посмотреть тарифы
b-preparing-invoice = Готовлю счёт…
b-invoice =
    🧾 <b>Ваш заказ</b>
    Канал: <b>{ $title }</b>
    Тариф: { $plan }
    Срок: { $duration }
    Сумма: <b>{ $amount }</b>

    Нажмите <b>Оплатить</b> и заплатите в удобной криптовалюте. Доступ откроется сразу после подтверждения платежа — я пришлю вам ссылку.
b-invoice-donation =
    💝 <b>Донат каналу { $title }</b>
    Сумма: <b>{ $amount }</b>

    Нажмите <b>Оплатить</b> и заплатите в удобной криптовалюте. Спасибо!
b-invoice-description = { $title } — { $plan } ({ $days })
b-invoice-description-donation = Донат каналу { $title }
b-pay-button = 💳 Оплатить { $amount }
b-check-status = 🔄 Проверить статус
b-status-refreshed = Статус обновлён
b-invoice-unavailable = ⚠️ Не удалось связаться с платёжной системой. Деньги не списаны — попробуйте ещё раз.
b-order-not-found = Не могу найти этот заказ. Заказ может посмотреть только тот, кто его оформил.
b-status-waiting = ⏳ Ожидает оплаты
b-status-confirming = 🔎 Платёж виден — ждём подтверждений сети
b-status-confirmed = 🔎 Платёж подтверждён сетью — завершаем
b-status-sending = 🔎 Платёж подтверждён — завершаем
b-status-partially-paid = ⚠️ Оплачен частично — получено меньше, чем стоимость
b-status-finished = ✅ Оплачен
b-status-failed = ❌ Платёж не прошёл
b-status-refunded = ↩️ Возвращён
b-status-expired = ⌛ Срок счёта истёк — деньги не списаны
b-status-needs-review = 🕵️ Платёж получен и проверяется вручную
b-status-unknown = ❔ { $status }
b-order-what = <b>{ $title }</b> — { $plan }
b-order-what-days = <b>{ $title }</b> — { $plan } ({ $days })
b-order-what-donation = Донат каналу <b>{ $title }</b>
b-after-donation-paid = Спасибо за поддержку! 💝
b-after-subscription-paid = Ссылка для входа — в отдельном сообщении. Срок подписки можно посмотреть в /subscriptions.
b-after-partial = Доплатите остаток на странице счёта или свяжитесь с владельцем канала.
b-after-failed = Вы можете оформить новый заказ в любой момент.
b-after-waiting = Уже оплатили? Подтверждение может занять несколько минут — нажмите «Проверить статус».
b-after-pending = Ничего делать не нужно: я напишу, когда всё будет готово.
b-order-paid-at = Оплачен: { $date }
b-order-status =
    🧾 <b>Статус заказа</b>
    { $what }
    Сумма: { $amount }
    Статус: <b>{ $status }</b>{ $paid }
    Номер: <code>{ $reference }</code>

    { $after }
b-my-subscriptions-button = 📋 Мои подписки
b-order-again = 🔁 Оформить заново
b-no-subscriptions = У вас пока нет подписок. Нажмите на тариф в посте канала, чтобы оформить подписку.
b-sub-active = ✅ <b>{ $title }</b> — активна до { $date }
b-sub-expired = ⌛ <b>{ $title }</b> — истекла { $date }
b-sub-ended = ⌛ <b>{ $title }</b> — прекращена { $date }
b-subscriptions =
    📋 <b>Ваши подписки</b>

    { $lines }

    При продлении новый срок добавляется к текущему. Вышли из канала? Нажмите «Войти», чтобы вернуться.
b-renew-button = 🔁 Продлить { $title }
b-join-button = 🚪 Войти в { $title }
b-way-back-in = 🚪 Вот ваш путь обратно в <b>{ $title }</b>. Нажмите кнопку и отправьте заявку на вступление — для вашего аккаунта она одобрится автоматически.
b-join-declined = Ваша заявка на вступление в <b>{ $title }</b> отклонена: у вас нет активной подписки. Выберите тариф, чтобы получить доступ.

## Бот: донаты

b-donate-head = 💝 <b>Донат каналу { $title }</b>
b-donate-body =
    Сумма: <code>{ $amount }</code> { $currency }

    Наберите сумму на клавиатуре и нажмите «Подтвердить».
    От { $min } до { $max }, не больше двух знаков после запятой.
b-keypad-clear = Стереть
b-keypad-too-many-decimals = Не больше двух знаков после запятой
b-keypad-above-max = Максимум — { $max }
b-keypad-below-min = Минимум — { $min }
b-keypad-has-point = В сумме уже есть десятичная точка
b-keypad-empty = Сначала наберите сумму
b-keypad-stale = Эта клавиатура больше не действует
b-keypad-inactive = Эта клавиатура больше не действует. Откройте ссылку для доната ещё раз, чтобы начать заново.
b-keypad-replaced = Эту клавиатуру заменила новая — она ниже.
b-keypad-timed-out-toast = Время клавиатуры истекло
b-keypad-timed-out = ⌛ Время на ввод суммы истекло. Деньги не списаны — начните заново, когда захотите.
b-donation-cancelled = Донат отменён. Деньги не списаны.

## Бот: владельцам, /newchannel

b-right-invite = Приглашение по ссылке
b-right-ban = Блокировка пользователей
b-right-post = Публикация сообщений
b-onboard-intro =
    🚀 <b>Давайте настроим ваш платный канал.</b>
    Понадобятся два канала: <b>открытый</b>, где я опубликую тарифы, и <b>закрытый</b>, доступ к которому я продаю.
    Добавьте меня в оба администратором с правами <b>публиковать сообщения</b>, <b>приглашать по ссылке</b> и <b>блокировать пользователей</b>.

    Отправьте /cancel, чтобы в любой момент остановиться.
b-onboard-open =
    <b>Шаг 1 из 7 — открытый канал</b>
    Перешлите мне любой пост из открытого канала или пришлите его @username или id.
    (Я должен быть там администратором: @{ $bot }.)
b-onboard-closed =
    <b>Шаг 2 из 7 — закрытый канал</b>
    Теперь закрытый канал, за доступ к которому платят (не { $open }): перешлите из него пост или пришлите его id.
b-onboard-tiers =
    <b>Шаг 3 из 7 — тарифы</b>
    Пришлите тарифы, по одному в строке, в виде <code>цена:дни:название</code> (цены в { $currency }), например:
    <code>9.99:30:Месяц
    24.99:90:Три месяца
    89:365:Год</code>
b-onboard-wallet =
    <b>Шаг 4 из 7 — кошелёк для выплат</b>
    Пришлите адрес кошелька, на который NOWPayments будет отправлять выплаты.
b-onboard-currency =
    <b>Шаг 5 из 7 — валюта выплат</b>
    Пришлите тикер валюты этого кошелька, при необходимости через пробел — сеть, например <code>usdttrc20</code> или <code>usdt tron</code>.
b-onboard-donation =
    <b>Шаг 6 из 7 — донаты</b>
    Пришлите текст поста для донатов в закрытом канале или <code>skip</code>, чтобы оставить стандартный.
b-onboard-notifications =
    <b>Шаг 7 из 7 — уведомления</b>
    Сообщать вам о каждом платеже?
b-text-too-long = Текст должен быть не длиннее { $max } { $max ->
        [one] символа
       *[other] символов
    }.
b-payout = <code>{ $wallet }</code> в { $currency }
b-payout-network = <code>{ $wallet }</code> в { $currency } ({ $network })
b-default = (стандартный)
b-none = (нет)
b-on = вкл.
b-off = выкл.
b-onboard-summary =
    📋 <b>Проверьте, всё ли верно</b>
    Открытый канал: <b>{ $open }</b>
    Закрытый канал: <b>{ $closed }</b>

    <b>Тарифы</b>
    { $plans }

    Выплаты: { $payout }
    Текст для донатов: { $donation }
    Уведомления о платежах: { $notifications }
    Язык постов в каналах: { $language }

    Подтвердите, чтобы сохранить настройки и опубликовать пост с тарифами. Кнопками ниже можно выбрать другой язык постов.
b-channel-verified = ✅ <b>{ $title }</b> подтверждён как ваш { $role ->
        [open] открытый
       *[closed] закрытый
    } канал.
b-identify-help = Перешлите мне пост из канала или пришлите его @username (например, <code>@mychannel</code>) или числовой id (например, <code>-1001234567890</code>).
b-not-a-channel = Это не канал. Перешлите пост именно из <b>канала</b> или пришлите @username или id канала.
b-cannot-see-channel = Я не вижу этот канал. Сначала добавьте меня туда администратором, затем попробуйте снова.
b-bot-not-admin-open = ⚠️ Я не администратор <b>{ $title }</b>. Добавьте меня администратором с правом публиковать сообщения и пришлите канал снова.
b-bot-not-admin-closed = ⚠️ Я не администратор <b>{ $title }</b>. Добавьте меня администратором с правами публиковать сообщения, приглашать по ссылке и блокировать пользователей, затем пришлите канал снова.
b-bot-missing-rights = ⚠️ Я администратор <b>{ $title }</b>, но мне не хватает прав: <b>{ $rights }</b>. Выдайте их и пришлите канал снова.
b-owner-not-admin = ⛔ Вы не администратор <b>{ $title }</b>, поэтому не можете его подключить.
b-taken = ⛔ <b>{ $title }</b> уже подключил кто-то другой, повторно добавить его нельзя.
b-already-yours = <b>{ $title }</b> уже есть среди ваших каналов. Управлять им можно через /mychannels.
b-same-channel = Закрытый канал должен отличаться от открытого.
b-invalid = ⚠️ { $reason }
b-onboard-expired = Настройка слишком долго оставалась незавершённой, и её время истекло. Начните заново с /newchannel.
b-fix-and-confirm = Исправьте это в Telegram и снова нажмите «Подтвердить».
b-checking-rights = Проверяю ваши каналы…
b-onboard-done =
    🎉 <b>Готово!</b> Доступ к { $closed } теперь продаётся. Публикую тарифы в <b>{ $open }</b> и пост для донатов в закрытом канале.

    Всем можно управлять через /mychannels.
b-tiers-none = Пришлите хотя бы один тариф.
b-tiers-too-many = Тарифов может быть не больше { $max }.
b-tier-bad-price = Строка { $line } («{ $text }»): цена должна быть положительной суммой с не более чем двумя знаками после точки, например 9.99.
b-tier-bad-days = Строка { $line } («{ $text }»): срок должен быть целым числом дней от 1 до { $max }.
b-tier-long-label = Строка { $line } («{ $text }»): название длиннее { $max } { $max ->
        [one] символа
       *[other] символов
    }.
b-wallet-invalid = Это не похоже на адрес кошелька (16–128 латинских букв и цифр, без пробелов).
b-currency-invalid = Пришлите тикер, при необходимости через пробел — сеть, например «usdttrc20» или «usdt tron».

## Бот: владельцам, /mychannels

b-channel-status-active = 🟢 продажи идут
b-channel-status-paused = ⏸ на паузе
b-channel-status-bot-removed = 🔴 бот удалён
b-channel-status-bot-lacks-rights = 🟠 у бота нет прав
b-no-channels = У вас пока нет каналов. Добавьте первый через /newchannel.
b-channel-list =
    📺 <b>Ваши каналы</b> ({ $count })
    Выберите канал, чтобы управлять им.
b-revenue-item = { $amount } ({ $orders ->
        [one] { $orders } оплата
        [few] { $orders } оплаты
       *[many] { $orders } оплат
    })
b-revenue-none = пока ничего
b-plans-none = нет
b-channel-panel =
    📺 <b>{ $closed }</b>
    Открытый канал: { $open }
    Статус: { $status }

    👥 Активных подписчиков: <b>{ $subscribers }</b>
    💰 Выручка за всё время: <b>{ $revenue }</b>

    <b>Тарифы</b>
    { $plans }

    Описание: { $description }
    Текст для донатов: { $donation }
    Выплаты: { $payout }
    Уведомления о платежах: { $notifications }
    Язык постов в каналах: { $language }
b-edit-tiers = ✏️ Тарифы
b-edit-description = ✏️ Описание
b-edit-donation = ✏️ Текст для донатов
b-notifications-on = 🔔 Уведомления: вкл.
b-notifications-off = 🔕 Уведомления: выкл.
b-republish = 📣 Опубликовать заново
b-export = 📄 Выгрузить платежи
b-pause = ⏸ Приостановить продажи
b-resume = ▶️ Возобновить продажи
b-all-channels = « Все каналы
b-notifications-turned-on = Уведомления включены
b-notifications-turned-off = Уведомления выключены
b-paused = Продажи приостановлены
b-resumed = Продажи возобновлены
b-republish-requested = Посты будут опубликованы заново через несколько секунд.
b-refused = Сейчас это сделать нельзя
b-exporting = Готовлю выгрузку…
b-export-caption = 📄 Платежи канала <b>{ $title }</b>: { $rows ->
        [one] { $rows } заказ
        [few] { $rows } заказа
       *[many] { $rows } заказов
    }.
b-owner-no-longer-admin = ⛔ По данным Telegram, вы больше не администратор <b>{ $title }</b>, поэтому я не могу вносить изменения от вашего имени.
b-edit-tiers-prompt = Пришлите новые тарифы для <b>{ $title }</b>, по одному в строке, в виде <code>цена:дни:название</code>. Они заменят текущие; кто уже заплатил, сохранит то, что купил.
b-edit-description-prompt = Пришлите новое описание для <b>{ $title }</b> или <code>-</code>, чтобы убрать его.
b-edit-donation-prompt = Пришлите новый текст для донатов в <b>{ $title }</b> или <code>-</code>, чтобы вернуть стандартный.
b-edit-current =
    Сейчас:
    <code>{ $current }</code>
b-edit-keep = /cancel — оставить всё как есть.
b-edit-saved = ✅ Сохранено. Посты в каналах обновятся через несколько секунд.
b-post-language-saved = Теперь посты в каналах на языке: { $language }

## Бот: владельцам, права бота

b-owner-bot-removed = 🔴 Меня удалили из <b>{ $title }</b>, поэтому продажи в вашем канале остановлены. Верните меня администратором, чтобы их возобновить.
b-owner-bot-lacks-rights = 🟠 У меня отобрали права в <b>{ $title }</b>: { $rights }. Продажи остановлены, пока вы не выдадите их снова.
b-owner-bot-restored = 🟢 Права в <b>{ $title }</b> снова у меня. Ваш канал опять продаётся.

## Бот: платежи на проверке (владельцу)

b-review-granted = ✅ <b>Доступ выдан.</b> Платёж <code>{ $id }</code> теперь считается оплаченным; покупатель получит доступ, как при любой оплате.
b-review-note-prompt = ✍️ Пришлите короткую заметку о платеже <code>{ $id }</code> для истории (почему вы его отклонили, например «вернул деньги плательщику») или /skip, чтобы отклонить без заметки.
b-review-dismissed = ✖️ Платёж <code>{ $id }</code> <b>отклонён</b>. Доступ не выдан.
b-review-dismissed-note = ✖️ Платёж <code>{ $id }</code> <b>отклонён</b>: { $note }. Доступ не выдан.
b-review-already-resolved = По этому платежу уже принято решение
b-review-not-yours = Решать может только владелец канала
b-review-cannot-grant = Доступ по этому платежу уже нельзя выдать
b-review-note-too-long = Заметка слишком длинная: уложитесь в { $max } { $max ->
        [one] символ
        [few] символа
       *[many] символов
    } или отправьте /skip.
b-post-language-button = 🌐 Язык постов
b-post-language-prompt = 🌐 На каком языке писать посты и кнопки тарифов для <b>{ $title }</b>? Оба поста будут опубликованы заново.

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

## Bot: the owner's balance in /mychannels (operator settlement)

mc-balance-title = 💸 <b>Ваш заработок</b> (платежи поступают оператору, он выплачивает вам)
mc-balance-none = 💸 <b>Ваш заработок</b>: пока ничего.
mc-balance-due = { $currency }: к выплате <b>{ $due }</b> · выплачено { $paid } из { $earned } заработанных
mc-balance-ahead = { $currency }: <b>{ $ahead }</b> выплачено авансом (возврат пришёл после выплаты), сумма будет удержана из следующих поступлений · выплачено { $paid } из { $earned } заработанных
mc-balance-last = Последняя выплата: { $amount }, { $date }
mc-balance-never = Выплат пока не было.
mc-balance-direct = 💸 Платежи поступают прямо на ваш кошелёк для выплат: у нас ничего не задерживается.

## Telegram Stars (бот: подписчики; уведомитель: посты с тарифами). Устройство: docs/stars.md

stars-amount = { $stars } ⭐
stars-menu-button = ⭐ { $label } · { $stars } звёзд
stars-offer-button = ⭐ Оплатить звёздами — { $stars }
stars-pay-button = ⭐ Оплатить { $stars } звёзд
stars-invoice-description = { $plan }: доступ к { $title } на { $days }.
stars-invoice =
    ⭐ <b>{ $title }</b> — { $plan }
    { $price } за { $days }.

    { $renewal }
stars-renews-note = Подписка продлевается сама каждые 30 дней; отключить продление можно в любой момент в /subscriptions.
stars-one-off-note = Разовый платёж, без продления.
stars-not-sold = Этот тариф сейчас нельзя купить за звёзды.
stars-checkout-unknown-order = Этот счёт больше не действует. Откройте тарифы канала ещё раз.
stars-checkout-not-yours = Этот счёт выставлен другому человеку. Откройте тарифы канала сами.
stars-checkout-price-changed = Цена тарифа изменилась. Откройте тарифы канала ещё раз.
stars-checkout-unavailable = Этот тариф больше не продаётся. Откройте тарифы канала ещё раз.
stars-checkout-already-paid = Этот счёт уже оплачен. Загляните в /subscriptions.
stars-payment-review = ⭐ Мы получили оплату звёздами, но она не совпадает с заказом. Владелец канала проверит её, и мы вам напишем.
stars-renewal-on = 🔁 { $title }: продлится за звёзды { $date }.
stars-renewal-off = ⏹ { $title }: продление отключено, доступ закончится { $date }.
stars-stop-button = ⏹ Отключить продление — { $title }
stars-resume-button = 🔁 Включить продление — { $title }
stars-renewal-stopped = Продление отключено
stars-renewal-resumed = Продление включено
stars-tiers-need-price = Этот канал продаёт доступ за звёзды Telegram: в конце строки каждого тарифа укажите цену в звёздах, например 9.99:30:Месяц ⭐250.
stars-renewal-failed = Telegram не принял изменение. Попробуйте позже.
n-tier-post-stars-line = • { $label }: { $stars } звёзд за { $days }
n-tier-post-both-line = • { $label }: { $price } или { $stars } звёзд за { $days }
n-tier-post-stars-button = ⭐ { $label } — { $stars } звёзд
n-tier-post-stars-footer = Оплата звёздами Telegram; доступ выдаётся автоматически.
n-tier-post-both-footer = Оплата криптовалютой или звёздами Telegram; доступ выдаётся автоматически.
n-tier-post-rails =
    🔒 <b>{ $title }</b>
    { $description }
    { $tiers }

    { $footer }

## Promo codes and free trials in the bot (issue 15; catalog/promo.ts). Subscribers first, then owners.
pr-have-code-button = 🏷 Есть промокод?
pr-trial-button = 🎁 Попробовать бесплатно { $days } { $days ->
    [one] день
    [few] дня
   *[many] дней
}
pr-code-prompt = 🏷 Пришлите промокод для <b>{ $title }</b> сообщением. /cancel — отмена.
pr-code-notice = 🏷 Промокод <b>{ $code }</b> будет применён: выберите тариф, чтобы увидеть цену.
pr-tier-button = 🏷 { $plan } с промокодом
pr-discount-line = 🏷 Промокод <b>{ $code }</b>: <s>{ $before }</s> → <b>{ $after }</b>
pr-refused-format = ⚠️ Это не похоже на промокод: в нём от 3 до 32 латинских букв, цифр, _ или -. Ничего не изменилось.
pr-refused-unknown = ⚠️ У этого канала нет промокода <b>{ $code }</b>. Проверьте написание и попробуйте ещё раз.
pr-refused-disabled = ⚠️ Промокод <b>{ $code }</b> больше не действует.
pr-refused-expired = ⚠️ Срок действия промокода <b>{ $code }</b> истёк.
pr-refused-tier = ⚠️ Промокод <b>{ $code }</b> не действует для этого тарифа. Выберите другой.
pr-refused-used-up = ⚠️ Промокод <b>{ $code }</b> уже израсходован.
pr-refused-below-minimum = ⚠️ С промокодом <b>{ $code }</b> тариф стоил бы { $price } — меньше минимума платёжной системы ({ $minimum }), поэтому к нему промокод применить нельзя.
pr-refused-donation = ⚠️ Промокоды действуют только на подписки.
pr-trial-started = 🎁 Пробный период в <b>{ $title }</b> начался: { $period }, до <b>{ $until }</b>. Ссылка-приглашение уже в пути.
pr-trial-used = Вы уже воспользовались пробным периодом <b>{ $title }</b> — он даётся один раз. Выберите тариф, чтобы остаться.
pr-trial-subscribed = У вас уже есть доступ к <b>{ $title }</b>: см. /subscriptions.
pr-trial-no-trial = <b>{ $title }</b> сейчас не предлагает пробный период.
pr-trial-channel-inactive = <b>{ $title }</b> сейчас не принимает новых подписчиков.
pr-promos-button = 🏷 Промокоды
pr-add-button = ➕ Новый промокод
pr-disable-button = 🚫 Отключить { $code }
pr-back-button = ⬅️ Назад
pr-list-head = 🏷 <b>Промокоды канала { $title }</b>
pr-list-none = Промокодов пока нет. Нажмите <b>Новый промокод</b>, чтобы создать.
pr-list-more = …и ещё { $count } (старые или отключённые): все они видны в 📊 Панели.
pr-list-line =
    <code>{ $code }</code> — { $details }
    { $url }
pr-percent-off = −{ $percent }%
pr-amount-off = −{ $amount }
pr-uses = использован { $uses } раз
pr-uses-of = использован { $uses } из { $max }
pr-held = { $held } в неоплаченных заказах
pr-expires = до { $date }
pr-tiers = тарифы { $tiers }
pr-disabled = отключён
pr-ask-code = 🏷 Новый промокод (1/5). Пришлите код: от 3 до 32 латинских букв, цифр, _ или -, например <code>SPRING26</code>. /cancel — отмена.
pr-ask-discount = (2/5) Скидка: процент, например <code>20%</code>, или сумма в { $currency }, например <code>5</code>.
pr-ask-max-uses = (3/5) Сколько раз его можно использовать? Число или <code>-</code> без ограничения.
pr-ask-expiry = (4/5) Сколько дней он действует? Число дней, дата вида <code>2026-12-31</code> или <code>-</code> без срока.
pr-ask-tiers =
    (5/5) Для каких тарифов? Номера через запятую или <code>-</code> для всех:
    { $tiers }
pr-bad-code = ⚠️ Код — это от 3 до 32 латинских букв, цифр, _ или -. Пришлите его ещё раз.
pr-bad-taken = ⚠️ У канала уже есть такой промокод. Пришлите другой.
pr-bad-discount = ⚠️ Пришлите процент, например <code>20%</code>, или сумму, например <code>5</code>.
pr-bad-percent-off = ⚠️ Процент — целое число от 1 до 99.
pr-bad-amount-off = ⚠️ Сумма должна быть положительной, не больше 2 знаков после точки.
pr-bad-max-uses = ⚠️ Пришлите целое число от 1 до 1000000 или <code>-</code>.
pr-bad-expires-at = ⚠️ Пришлите число дней от 1 до 3650, будущую дату вида <code>2026-12-31</code> или <code>-</code>.
pr-bad-tier-positions = ⚠️ Пришлите номера тарифов из списка через запятую или <code>-</code>.
pr-created =
    ✅ Промокод <code>{ $code }</code> создан. Поделитесь ссылкой — она открывает ваши тарифы с промокодом:
    { $url }
pr-disabled-toast = Промокод { $code } отключён

## Кнопка возврата у владельца (бот; уведомитель: кнопка в уведомлении об оплате). docs/stars.md

n-owner-refund-button = ↩️ Вернуть деньги
refund-confirm-stars =
    ↩️ Вернуть { $amount } подписчику { $customer } (заказ <code>{ $reference }</code>)?

    Telegram вернёт звёзды подписчику, а доступ, купленный этим платежом, будет отозван. Отменить это нельзя.
refund-confirm-recorded =
    ↩️ Записать возврат { $amount } подписчику { $customer } (заказ <code>{ $reference }</code>)?

    TelePay не может сам отправить криптовалюту обратно: верните деньги подписчику сами. После подтверждения доступ, купленный этим платежом, будет отозван, а подписчик узнает о возврате. Отменить это нельзя.
refund-confirm-button-stars = ↩️ Да, вернуть звёзды
refund-confirm-button-recorded = ↩️ Да, записать возврат
refund-keep-button = Оставить платёж
refund-kept = Ничего не возвращено.
refund-done-stars = ↩️ Готово: Telegram вернул { $amount } по заказу <code>{ $reference }</code>, доступ отозван.
refund-done-recorded = ↩️ Возврат по заказу <code>{ $reference }</code> записан, доступ отозван. Не забудьте сами отправить подписчику { $amount }.
refund-not-yours = Вернуть этот платёж может только владелец канала.
refund-already = Этот платёж уже возвращён.
refund-not-refundable = Этот платёж нельзя вернуть: он не оплатил свой заказ.
refund-failed = Telegram не принял возврат, ничего не изменилось. Попробуйте позже.

## Owner's free trial setting in /mychannels (catalog/promo.ts)
pr-trial-settings-button = 🎁 Пробный период: { $current }
pr-trial-off = выкл.
pr-ask-trial-days = 🎁 Пробный период <b>{ $title }</b> — сейчас: { $current }. Пришлите, сколько бесплатных дней может взять новый подписчик (один раз; от 0 до { $max }, 0 — без пробного периода). /cancel — отмена.
pr-bad-trial-days = ⚠️ Пришлите целое число дней от 0 до { $max }.
pr-trial-days-saved = ✅ Пробный период: { $current }.

## Рассылки владельца (/broadcast в боте и сообщение о ходе рассылки, которое правит notifier)
bc-panel-button = 📣 Рассылка
bc-command = Написать подписчикам
bc-pick-channel = 📣 Подписчикам какого канала вы хотите написать?
bc-no-channels = У вас пока нет каналов. Добавьте канал командой /newchannel — после этого здесь можно будет писать его подписчикам.
bc-compose =
    📣 <b>Рассылка — { $title }</b>

    Пришлите сообщение: текст (до { $max } символов) или одно фото с подписью (до { $maxCaption }). Подписчики получат его от меня, под названием канала, ровно так, как вы его написали.

    /cancel — отменить.
bc-too-long = Здесь { $length } символов, а в таком сообщении можно не больше { $max }. Сократите его и пришлите снова.
bc-unsupported = Я могу разослать текст или одно фото с подписью. Пришлите что-то из этого или нажмите /cancel.
bc-pick-audience = Кому в <b>{ $title }</b> отправить?
bc-audience-active = Активным подписчикам ({ $count })
bc-audience-expired = С истёкшей подпиской ({ $count })
bc-audience-all = Всем, кто платил ({ $count })
bc-audience-name-active = активные подписчики
bc-audience-name-expired = подписчики с истёкшей подпиской
bc-audience-name-all = все, кто платил
bc-confirm =
    👆 Именно так они увидят сообщение.

    <b>Отправить { $count ->
        [one] { $count } человеку
        [few] { $count } людям
       *[many] { $count } людям
    } ({ $audience }, { $title })?</b>
bc-send-button = ✅ Отправить
bc-change-audience-button = 👥 Выбрать других
bc-rewrite-button = ✏️ Изменить сообщение
bc-cancel-button = ✖️ Отмена
bc-daily-limit = ⏳ В <b>{ $title }</b> за последние 24 часа уже { $limit ->
        [one] была { $limit } рассылка
        [few] было { $limit } рассылки
       *[many] было { $limit } рассылок
    } — это максимум. Попробуйте позже.
bc-no-recipients = Сейчас в этой группе никого нет. Выберите другую.
bc-expired = Рассылка слишком долго оставалась незаконченной, и черновик удалён. Начните заново: /broadcast.
bc-draft-cancelled = Рассылка отменена. Ничего не отправлено.
bc-no-draft-toast = Нечего отправлять: начните заново с /broadcast
bc-not-yours-toast = Это не ваша рассылка
bc-stopped-toast = Рассылка остановлена
bc-already-over-toast = Эта рассылка уже закончилась
bc-stop-button = ✖️ Остановить рассылку
bc-progress-starting = ⏳ <b>Начинаю рассылку по { $title }…</b>
bc-progress-running = 📤 <b>Рассылка по { $title }…</b>
bc-progress-done = ✅ <b>Рассылка по { $title } завершена.</b>
bc-progress-cancelled = 🛑 <b>Рассылка по { $title } остановлена.</b> Больше никто её не получит.
bc-progress =
    { $head }

    Доставлено: { $sent } из { $total }
    Заблокировали бота или удалили аккаунт: { $blocked }
    Не удалось: { $failed }

## Direct checkout (SETTLEMENT=direct): the coin choice, then one message with the QR code whose status line is edited. docs/settlement.md

b-checkout-order =
    🧾 <b>Ваш заказ</b>
    Канал: <b>{ $title }</b>
    Тариф: { $plan }
    Срок: { $duration }
    Сумма: <b>{ $amount }</b>

    Выберите ниже монету для оплаты. Доступ откроется сразу после подтверждения платежа — я пришлю вам ссылку.
b-checkout-order-donation =
    💝 <b>Донат каналу { $title }</b>
    Сумма: <b>{ $amount }</b>

    Выберите ниже монету для оплаты. Спасибо!
checkout-coin-unavailable = ⚠️ Сейчас нельзя оплатить этот заказ в { $coin } (NOWPayments отказал — чаще всего сумма меньше минимума для этой монеты). Ничего не списано — выберите другую монету.
checkout-head = 🧾 <b>{ $title }</b> · { $price }
checkout-send =
    Отправьте ровно <code>{ $amount }</code> { $coin } на этот адрес:
    <code>{ $address }</code>
checkout-memo = Memo / тег (обязательно): <code>{ $memo }</code>
checkout-expires = Оплатите до { $expires } одним переводом на точную сумму.
checkout-status-waiting = ⏳ Ждём ваш платёж.
checkout-status-confirming = 🔄 Платёж виден — ждём подтверждения сети.
checkout-status-partially-paid = ⚠️ Пришла только часть суммы. Отправьте остаток на тот же адрес, пока платёж не истёк, или свяжитесь с владельцем канала.
checkout-status-finished = ✅ Платёж получен. Спасибо!
checkout-status-expired = ⌛ Срок платежа истёк, деньги не пришли. Если доступ всё ещё нужен, оформите новый заказ в меню канала.
checkout-status-failed = ❌ Платёж не прошёл. Оформите новый заказ в меню канала или свяжитесь с владельцем канала.
checkout-status-refunded = ↩️ Платёж возвращён.
checkout-status-needs-review = 🔎 Платёж пришёл, его проверяет владелец канала. Я напишу, когда он примет решение.
checkout-wallet-refused = ⚠️ NOWPayments не может выплачивать на <code>{ $wallet }</code> в { $currency }: { $reason }
    Платежи здесь идут прямо на ваш кошелёк, поэтому пришлите адрес кошелька для этой монеты.
checkout-wallet-unchecked = ⚠️ Сейчас не получилось проверить кошелёк в NOWPayments. Ничего не сохранено — пришлите адрес кошелька ещё раз чуть позже.
