# TelePay — español. Los mensajes son HTML de Telegram; packages/telegram/src/catalog rellena (y
# escapa) los { $placeholders }. Todas las claves existen en todos los idiomas (lo comprueba un test).

## Común

days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}
this-channel = este canal
plan-default = Suscripción
join-button = Entrar en { $title }

## Avisos: suscriptores

n-plan-line = Plan: { $plan } — { $price }
n-how-join-request = Toca el botón y envía una solicitud para unirte: se aprueba automáticamente para tu cuenta. El enlace caduca en 24 horas.
n-how-member-limit = Toca el botón para entrar. El enlace es para una sola persona y caduca en 24 horas.
n-access-invite =
    ✅ <b>¡Pago recibido! Bienvenido/a a { $title }</b>

    { $plan }
    Acceso hasta: <b>{ $until }</b>

    { $how }
n-trial-invite =
    🎁 <b>Empezó tu prueba gratis de { $title }.</b>

    Acceso hasta: <b>{ $until }</b>

    { $how }
n-manual-grant =
    🎁 <b>Te han dado acceso a { $title }.</b>

    Acceso hasta: <b>{ $until }</b>

    { $how }
n-access-renewed =
    🔁 <b>Tu suscripción a { $title } se ha renovado hasta el { $until }.</b>

    { $plan }
    ¡Gracias por seguir con nosotros!
n-access-extended = 🗓 Tu acceso a <b>{ $title }</b> ahora dura hasta el <b>{ $until }</b>.
n-access-revoked = ⛔ El dueño del canal ha retirado tu acceso a <b>{ $title }</b>.
n-access-expired =
    ⌛ Tu suscripción a <b>{ $title }</b> ha terminado, así que ya no estás en el canal.

    Puedes volver cuando quieras.
n-renew-button = Renovar
n-access-pending =
    ✅ <b>Pago recibido para { $title }</b>: tu acceso dura hasta el <b>{ $until }</b>.

    Ahora mismo el bot no puede crear tu enlace de invitación; ya hemos avisado al dueño del canal. Más tarde, abre /subscriptions para conseguir tu enlace.
n-expiry-reminder =
    ⏰ Tu suscripción a <b>{ $title }</b> termina en { $days }, el <b>{ $until }</b>.

    Renueva ahora para no perder el acceso: el tiempo que compres se suma al que te queda.
n-grace-reminder =
    ⌛ Tu suscripción a <b>{ $title }</b> terminó el <b>{ $expired }</b>. Conservas el acceso hasta el <b>{ $until }</b>, así que aún estás a tiempo.

    Si renuevas antes, los días que compres cuentan desde la fecha en que terminó.
n-plans-button = Ver planes
n-trial-reminder =
    ⏰ Tu prueba gratuita de <b>{ $title }</b> termina en { $days }, el <b>{ $until }</b>.

    ¿Te gustó? Elige un plan para quedarte en el canal.
n-donation-thanks = 💛 <b>¡Gracias!</b> Ha llegado tu donación de { $amount } a <b>{ $title }</b>.
n-payment-confirming = ⏳ Vemos tu pago para <b>{ $title }</b>. Está esperando las confirmaciones de la red; tendrás acceso en cuanto se confirme. No tienes que hacer nada.
n-partial-detail = Hemos recibido { $received } de { $expected }; <b>faltan { $missing }</b>.
n-partial-unknown = El importe recibido es menor que el de la factura.
n-payment-partial =
    ⚠️ Tu pago para <b>{ $title }</b> está incompleto. { $detail }

    Envía lo que falta a la misma dirección antes de que caduque la factura, o contacta con el dueño del canal.
n-payment-failed = ❌ Tu pago para <b>{ $title }</b> ha fallado y no se ha dado acceso. Puedes hacer un pedido nuevo desde el menú del canal.
n-payment-expired = ⌛ La factura de <b>{ $title }</b> caducó antes de que llegara el pago. Si todavía quieres acceso, haz un pedido nuevo desde el menú del canal.
n-payment-refunded = ↩️ Se ha devuelto tu pago para <b>{ $title }</b>.
n-reversal-removed = ↩️ Se ha devuelto tu pago para <b>{ $title }</b>, así que se ha retirado el acceso que pagaba y se te ha sacado del canal.
n-reversal-shortened = ↩️ Se ha devuelto tu pago para <b>{ $title }</b>, así que el tiempo que pagaba se ha descontado de tu suscripción. Ahora tu acceso dura hasta el <b>{ $until }</b>.
n-reversal-not-granted = ↩️ Se ha devuelto tu pago para <b>{ $title }</b> antes de activar tu acceso, así que no se ha concedido ningún acceso.

## Avisos: publicaciones del canal (en el idioma del canal)

n-tier-post-line = • { $label }: { $price } por { $days }
n-tier-post =
    🔒 <b>{ $title }</b>
    { $description }
    { $tiers }

    Paga con cripto; el acceso se da automáticamente.
n-tier-post-button = { $label } — { $price }
n-donation-post = 💛 ¿Te gusta <b>{ $title }</b>? Puedes apoyarlo con una donación.
n-donate-button = 💛 Donar

## Avisos: dueños (en el idioma del dueño)

n-someone = Alguien
n-paid-with-price = { $paid } (precio { $price })
n-owner-payment-head = 💰 <b>Nuevo pago de suscripción — { $title }</b>
n-owner-donation-head = 💛 <b>Nueva donación — { $title }</b>
n-owner-customer = Cliente: { $customer }
n-owner-tier = Plan: { $tier }
n-owner-paid = Pagado: { $paid }
n-owner-until = Acceso hasta: { $until }
n-owner-payout = Cobro: { $payout }
n-owner-order = Pedido: <code>{ $reference }</code>
n-owner-reversal-head = ↩️ <b>Reembolso — { $title }</b>
n-owner-reversal-refunded = Devuelto: { $amount }
n-owner-reversal-removed = Se ha retirado el tiempo que pagaba este pedido. No le queda tiempo pagado, así que se le está sacando del canal.
n-owner-reversal-shortened = Se ha retirado el tiempo que pagaba este pedido. Ahora su acceso dura hasta el <b>{ $until }</b>.
n-owner-reversal-not-granted = Aún no se había concedido el acceso, y ya no se concederá por este pedido.
n-owner-reversal-nothing = No quedaba tiempo sin usar de este pedido que retirar.
n-owner-cannot-invite = ⚠️ No he podido crear un enlace de invitación en <b>{ $title }</b>: me faltan permisos de administrador. Hazme admin con permisos para invitar usuarios, banear usuarios y publicar mensajes.
n-owner-cannot-publish = ⚠️ No he podido publicar el mensaje en <b>{ $title }</b>: me faltan permisos de administrador. Hazme admin con permisos para invitar usuarios, banear usuarios y publicar mensajes.
n-owner-removal-failed = ⚠️ No consigo sacar al usuario <code>{ $user }</code> de <b>{ $title }</b>: { $reason }. Lo seguiré intentando.

## Avisos: pagos por revisar (dueño)

n-review-head = 🔎 <b>Un pago necesita tu decisión — { $title }</b>
n-review-order = Pedido: { $order } · <code>{ $reference }</code>
n-review-asked = Solicitado: { $amount }
n-review-arrived = Recibido: { $amount }
n-review-payment = Pago: <code>{ $id }</code> ({ $status })
n-review-can-grant = <b>Dar acceso igualmente</b> lo trata como un pedido pagado. <b>Descartar</b> deja constancia del motivo (por ejemplo, que devolviste el dinero).
n-review-cannot-grant = Con este pago no se puede dar acceso. Cuando lo hayas resuelto (por ejemplo, devolviendo el dinero), descártalo con una nota.
n-review-grant-button = ✅ Dar acceso igualmente
n-review-dismiss-button = ✖️ Descartar con una nota
n-review-reason-underpaid = La factura se pagó por menos del precio del pedido.
n-review-reason-paid-short = Llegó menos de lo que pedía el pago.
n-review-reason-partially-paid = Solo llegó una parte del importe.
n-review-reason-overpaid = Llegó más de lo que pedía el pago. Se dio acceso; puede que haya que devolver la diferencia.
n-review-reason-currency-mismatch = La factura está en otra moneda que el pedido.
n-review-reason-re-deposit = Llegó otro depósito a la dirección de un pago anterior.
n-review-reason-duplicate-payment = Este pedido ya estaba pagado: es un segundo pago.
n-review-reason-invoice-mismatch = El pago corresponde a otra factura, no a la de este pedido.
n-review-reason-pay-changed = La moneda o el importe cambiaron después de empezar el pago.
n-review-reason-missing-amount = El aviso de pago no indicaba cuánto llegó.
n-review-reason-unknown-status = NOWPayments envió un estado de pago que TelePay no conoce.
n-review-reason-other = El pago no coincide con su pedido.

## Bot: común

b-there = qué tal
b-welcome =
    👋 <b>¡Hola, { $name }!</b>

    Vendo acceso a canales privados de Telegram, con pago en criptomonedas.

    • ¿Has visto en un canal una publicación con planes? Toca un plan y yo me encargo del resto.
    • /subscriptions — tus suscripciones, renovaciones y cómo volver a entrar
    • /newchannel — vende acceso a tu propio canal
    • /mychannels — gestiona los canales que vendes
    • /language — el idioma en el que te escribo
    • /help — cómo funciona todo
b-help =
    <b>Cómo funciona TelePay</b>

    <b>Suscriptores</b>
    1. Toca un plan en la publicación de un canal (o abre el enlace que te pasaron).
    2. Paga la factura con la criptomoneda que prefieras.
    3. En cuanto se confirme el pago, te envío un enlace al canal privado.
    Puedes renovar cuando quieras desde /subscriptions: el tiempo nuevo se suma al que te queda.

    <b>Dueños de canales</b>
    /newchannel te guía para añadir tu canal público y tu canal privado, tus planes y tu monedero de cobro.
    /mychannels muestra suscriptores e ingresos, y te deja cambiar planes y textos, exportar pagos y pausar las ventas.
    /broadcast escribe a tus suscriptores (activos, vencidos o todos los que pagaron): texto o una foto, con vista previa antes de enviar.

    /language cambia el idioma en el que te escribo. /cancel detiene lo que estés haciendo.
b-unknown-input = No te he entendido. Envía /help para ver lo que puedo hacer.
b-stale-button = Esta oferta ha cambiado desde que se envió el mensaje. Envía /help para empezar de nuevo o vuelve a abrir la publicación del canal.
b-offer-changed = ℹ️ Esta oferta ha cambiado. Esto es lo que hay disponible ahora:
b-offer-changed-toast = Esta oferta ha cambiado
b-stale-button-toast = Ese botón ya no está vigente
b-something-went-wrong = 😕 Algo ha fallado por mi parte. Inténtalo de nuevo en un minuto.
b-something-went-wrong-toast = Algo ha fallado; inténtalo de nuevo
b-link-not-recognised = Ese enlace no lleva a ningún sitio que yo conozca. Vuelve a abrir la publicación del canal o envía /help.
b-cancelled = Cancelado. No se ha cambiado nada.
b-nothing-to-cancel = No hay nada que cancelar.
b-yes = Sí
b-no = No
b-confirm = ✅ Confirmar
b-cancel = ✖️ Cancelar
b-retry = 🔁 Reintentar
b-start-again = Empezar de nuevo
b-language-prompt = 🌐 ¿En qué idioma quieres que te escriba?
b-language-saved = ✅ Hecho: a partir de ahora te escribo en español.
b-language-saved-toast = Ahora en español

## Bot: menú de comandos

b-cmd-start = Empezar
b-cmd-subscriptions = Tus suscripciones, renovaciones y cómo volver a entrar
b-cmd-newchannel = Vende acceso a tu canal
b-cmd-mychannels = Gestiona los canales que vendes
b-cmd-language = Elige tu idioma
b-cmd-help = Cómo funciona TelePay
b-cmd-cancel = Detén lo que estás haciendo

## Bot: suscriptores

b-tier-line = • <b>{ $label }</b> — { $price } por { $days }
b-channel-not-found = Ya no encuentro ese canal. Puede que el enlace esté desactualizado.
b-channel-unavailable = <b>{ $title }</b> no acepta nuevas suscripciones en este momento. Vuelve a intentarlo más tarde.
b-menu-head = <b>{ $title }</b>
b-menu-head-renewal = 🔁 Renovar <b>{ $title }</b>
b-menu-choose = Elige un plan:
b-menu-renewal-note = Al renovar, el tiempo nuevo se suma al que te queda.
b-tier-button = { $label } · { $price } / { $days }
b-buy-button = Continuar — { $price }
b-other-plans = Ver todos los planes
b-see-plans = Ver planes
b-preparing-invoice = Preparando tu factura…
b-invoice =
    🧾 <b>Tu pedido</b>
    Canal: <b>{ $title }</b>
    Plan: { $plan }
    Duración: { $duration }
    Importe: <b>{ $amount }</b>

    Toca <b>Pagar</b> para pagar con la criptomoneda que prefieras. Tu acceso empieza en cuanto se confirme el pago; te escribiré con el enlace.
b-invoice-donation =
    💝 <b>Donación a { $title }</b>
    Importe: <b>{ $amount }</b>

    Toca <b>Pagar</b> para pagar con la criptomoneda que prefieras. ¡Gracias!
b-invoice-description = { $title } — { $plan } ({ $days })
b-invoice-description-donation = Donación a { $title }
b-pay-button = 💳 Pagar { $amount }
b-check-status = 🔄 Ver estado
b-status-refreshed = Estado actualizado
b-invoice-unavailable = ⚠️ No he podido contactar con el proveedor de pagos. No se ha cobrado nada; inténtalo de nuevo.
b-order-not-found = No encuentro ese pedido. Solo puede verlo la persona que lo hizo.
b-status-waiting = ⏳ Pendiente de pago
b-status-confirming = 🔎 Pago detectado — esperando confirmaciones de la red
b-status-confirmed = 🔎 Pago confirmado en la red — terminando
b-status-sending = 🔎 Pago confirmado — terminando
b-status-partially-paid = ⚠️ Pagado en parte — lo recibido es menos que el precio
b-status-finished = ✅ Pagado
b-status-failed = ❌ El pago ha fallado
b-status-refunded = ↩️ Reembolsado
b-status-expired = ⌛ La factura ha caducado — no se ha cobrado nada
b-status-needs-review = 🕵️ Pago recibido, en revisión manual
b-status-unknown = ❔ { $status }
b-order-what = <b>{ $title }</b> — { $plan }
b-order-what-days = <b>{ $title }</b> — { $plan } ({ $days })
b-order-what-donation = Donación a <b>{ $title }</b>
b-after-donation-paid = ¡Gracias por tu apoyo! 💝
b-after-subscription-paid = Tu enlace de acceso está en otro mensaje. En /subscriptions verás hasta cuándo dura.
b-after-partial = Envía lo que falta desde la página de la factura o ponte en contacto con el dueño del canal.
b-after-failed = Puedes hacer un pedido nuevo cuando quieras.
b-after-waiting = ¿Ya has pagado? La confirmación puede tardar unos minutos; toca «Ver estado».
b-after-pending = No tienes que hacer nada: te escribiré cuando esté listo.
b-order-paid-at = Pagado: { $date }
b-order-status =
    🧾 <b>Estado del pedido</b>
    { $what }
    Importe: { $amount }
    Estado: <b>{ $status }</b>{ $paid }
    Referencia: <code>{ $reference }</code>

    { $after }
b-my-subscriptions-button = 📋 Mis suscripciones
b-order-again = 🔁 Volver a pedir
b-no-subscriptions = Todavía no tienes suscripciones. Toca un plan en la publicación de un canal para conseguir una.
b-sub-active = ✅ <b>{ $title }</b> — activa hasta el { $date }
b-sub-expired = ⌛ <b>{ $title }</b> — caducó el { $date }
b-sub-ended = ⌛ <b>{ $title }</b> — terminó el { $date }
b-subscriptions =
    📋 <b>Tus suscripciones</b>

    { $lines }

    Al renovar, el tiempo nuevo se suma a tu vencimiento actual. ¿Saliste de un canal? Toca «Entrar» para volver.
b-renew-button = 🔁 Renovar { $title }
b-join-button = 🚪 Entrar en { $title }
b-way-back-in = 🚪 Aquí tienes cómo volver a <b>{ $title }</b>. Toca el botón y envía una solicitud para unirte: se aprueba automáticamente para tu cuenta.
b-join-declined = Tu solicitud para unirte a <b>{ $title }</b> se ha rechazado porque no tienes una suscripción activa. Elige un plan para conseguir acceso.

## Bot: donaciones

b-donate-head = 💝 <b>Donar a { $title }</b>
b-donate-body =
    Importe: <code>{ $amount }</code> { $currency }

    Escribe el importe con el teclado y toca «Confirmar».
    De { $min } a { $max }, con dos decimales como máximo.
b-keypad-clear = Borrar
b-keypad-too-many-decimals = Dos decimales como máximo
b-keypad-above-max = El máximo es { $max }
b-keypad-below-min = El mínimo es { $min }
b-keypad-has-point = El importe ya tiene un separador decimal
b-keypad-empty = Primero escribe un importe
b-keypad-stale = Este teclado ya no está activo
b-keypad-inactive = Este teclado ya no está activo. Vuelve a abrir el enlace de donación para empezar de nuevo.
b-keypad-replaced = Este teclado se ha sustituido por uno más nuevo, aquí abajo.
b-keypad-timed-out-toast = Se acabó el tiempo de este teclado
b-keypad-timed-out = ⌛ Se acabó el tiempo para donar con este teclado. No se ha cobrado nada; empieza de nuevo cuando quieras.
b-donation-cancelled = Donación cancelada. No se ha cobrado nada.

## Bot: dueños, /newchannel

b-right-invite = Invitar usuarios mediante enlace
b-right-ban = Bloquear usuarios
b-right-post = Publicar mensajes
b-onboard-intro =
    🚀 <b>Vamos a configurar tu canal de pago.</b>
    Necesitas dos canales: uno <b>público</b>, donde publico tus planes, y uno <b>privado</b>, cuyo acceso vendo.
    Añádeme a los dos como administrador con permiso para <b>publicar mensajes</b>, <b>invitar usuarios mediante enlace</b> y <b>bloquear usuarios</b>.

    Envía /cancel cuando quieras para parar.
b-onboard-open =
    <b>Paso 1 de 7 — canal público</b>
    Reenvíame cualquier publicación de tu canal público, o envíame su @usuario o su id.
    (Tengo que ser administrador allí: @{ $bot }.)
b-onboard-closed =
    <b>Paso 2 de 7 — canal privado</b>
    Ahora el canal privado por el que se paga (no { $open }): reenvíame una publicación suya o envíame su id.
b-onboard-tiers =
    <b>Paso 3 de 7 — planes</b>
    Envía tus planes, uno por línea, como <code>precio:días:nombre</code> (precios en { $currency }), por ejemplo:
    <code>9.99:30:Mensual
    24.99:90:Trimestral
    89:365:Anual</code>
b-onboard-wallet =
    <b>Paso 4 de 7 — monedero de cobro</b>
    Envía la dirección del monedero al que NOWPayments debe enviar tus cobros.
b-onboard-currency =
    <b>Paso 5 de 7 — moneda de cobro</b>
    Envía el ticker de la moneda de ese monedero, y si hace falta la red detrás, como <code>usdttrc20</code> o <code>usdt tron</code>.
b-onboard-donation =
    <b>Paso 6 de 7 — donaciones</b>
    Envía el texto de la publicación de donaciones de tu canal privado, o <code>skip</code> para usar uno sencillo.
b-onboard-notifications =
    <b>Paso 7 de 7 — avisos</b>
    ¿Te aviso de cada pago?
b-text-too-long = El texto puede tener como máximo { $max } caracteres.
b-payout = <code>{ $wallet }</code> en { $currency }
b-payout-network = <code>{ $wallet }</code> en { $currency } ({ $network })
b-default = (predeterminado)
b-none = (ninguna)
b-on = activados
b-off = desactivados
b-onboard-summary =
    📋 <b>Revisa que todo esté bien</b>
    Canal público: <b>{ $open }</b>
    Canal privado: <b>{ $closed }</b>

    <b>Planes</b>
    { $plans }

    Cobro: { $payout }
    Texto de donación: { $donation }
    Avisos de pago: { $notifications }
    Idioma de las publicaciones: { $language }

    Confirma para guardar y publicar tus planes. Con los botones de abajo cambias el idioma de las publicaciones.
b-channel-verified = ✅ <b>{ $title }</b> verificado como tu canal { $role ->
        [open] público
       *[closed] privado
    }.
b-identify-help = Reenvíame una publicación del canal, o envíame su @usuario (como <code>@micanal</code>) o su id numérico (como <code>-1001234567890</code>).
b-not-a-channel = Eso no es un canal. Reenvía una publicación de un <b>canal</b>, o envía el @usuario o el id de un canal.
b-cannot-see-channel = No veo ese canal. Primero añádeme como administrador y luego vuelve a intentarlo.
b-bot-not-admin-open = ⚠️ No soy administrador de <b>{ $title }</b>. Añádeme como administrador con permiso para publicar mensajes y vuelve a enviarlo.
b-bot-not-admin-closed = ⚠️ No soy administrador de <b>{ $title }</b>. Añádeme como administrador con permiso para publicar mensajes, invitar usuarios mediante enlace y bloquear usuarios, y vuelve a enviarlo.
b-bot-missing-rights = ⚠️ Soy administrador de <b>{ $title }</b>, pero me faltan estos permisos: <b>{ $rights }</b>. Dámelos y vuelve a enviarlo.
b-owner-not-admin = ⛔ No eres administrador de <b>{ $title }</b>, así que no puedes registrarlo.
b-taken = ⛔ Otra persona ya ha registrado <b>{ $title }</b> y no se puede volver a añadir.
b-already-yours = <b>{ $title }</b> ya es uno de tus canales. Gestiónalo con /mychannels.
b-same-channel = El canal privado tiene que ser distinto del público.
b-invalid = ⚠️ { $reason }
b-onboard-expired = Esta configuración se quedó a medias demasiado tiempo y ha caducado. Empieza de nuevo con /newchannel.
b-fix-and-confirm = Corrígelo en Telegram y vuelve a tocar «Confirmar».
b-checking-rights = Comprobando tus canales…
b-onboard-done =
    🎉 <b>¡Listo!</b> { $closed } ya está a la venta. Estoy publicando tus planes en <b>{ $open }</b> y la publicación de donaciones en tu canal privado.

    Gestiónalo todo con /mychannels.
b-tiers-none = Envía al menos un plan.
b-tiers-too-many = Como máximo { $max } planes.
b-tier-bad-price = Línea { $line } («{ $text }»): el precio debe ser un importe positivo con dos decimales como máximo, como 9.99.
b-tier-bad-days = Línea { $line } («{ $text }»): la duración debe ser un número entero de días entre 1 y { $max }.
b-tier-long-label = Línea { $line } («{ $text }»): el nombre tiene más de { $max } caracteres.
b-wallet-invalid = Eso no parece una dirección de monedero (entre 16 y 128 letras y cifras, sin espacios).
b-currency-invalid = Envía el ticker, y si hace falta la red detrás, como «usdttrc20» o «usdt tron».

## Bot: dueños, /mychannels

b-channel-status-active = 🟢 a la venta
b-channel-status-paused = ⏸ en pausa
b-channel-status-bot-removed = 🔴 bot eliminado
b-channel-status-bot-lacks-rights = 🟠 al bot le faltan permisos
b-no-channels = Todavía no tienes canales. Añade uno con /newchannel.
b-channel-list =
    📺 <b>Tus canales</b> ({ $count })
    Elige uno para gestionarlo.
b-revenue-item = { $amount } ({ $orders ->
        [one] { $orders } pago
       *[other] { $orders } pagos
    })
b-revenue-none = nada todavía
b-plans-none = ninguno
b-channel-panel =
    📺 <b>{ $closed }</b>
    Canal público: { $open }
    Estado: { $status }

    👥 Suscriptores activos: <b>{ $subscribers }</b>
    💰 Ingresos hasta ahora: <b>{ $revenue }</b>

    <b>Planes</b>
    { $plans }

    Descripción: { $description }
    Texto de donación: { $donation }
    Cobro: { $payout }
    Avisos de pago: { $notifications }
    Idioma de las publicaciones: { $language }
b-edit-tiers = ✏️ Planes
b-edit-description = ✏️ Descripción
b-edit-donation = ✏️ Texto de donación
b-notifications-on = 🔔 Avisos: activados
b-notifications-off = 🔕 Avisos: desactivados
b-republish = 📣 Volver a publicar
b-export = 📄 Exportar pagos
b-pause = ⏸ Pausar ventas
b-resume = ▶️ Reanudar ventas
b-all-channels = « Todos los canales
b-notifications-turned-on = Avisos activados
b-notifications-turned-off = Avisos desactivados
b-paused = Ventas en pausa
b-resumed = Ventas reanudadas
b-republish-requested = Tus publicaciones se volverán a publicar en un momento.
b-refused = Ahora mismo no se puede
b-exporting = Preparando la exportación…
b-export-caption = 📄 Pagos de <b>{ $title }</b>: { $rows ->
        [one] { $rows } pedido
       *[other] { $rows } pedidos
    }.
b-owner-no-longer-admin = ⛔ Según Telegram ya no eres administrador de <b>{ $title }</b>, así que no puedo hacer cambios por ti.
b-edit-tiers-prompt = Envía los nuevos planes de <b>{ $title }</b>, uno por línea, como <code>precio:días:nombre</code>. Sustituyen a los actuales; quien ya pagó conserva lo que compró.
b-edit-description-prompt = Envía la nueva descripción de <b>{ $title }</b>, o <code>-</code> para quitarla.
b-edit-donation-prompt = Envía el nuevo texto de donación de <b>{ $title }</b>, o <code>-</code> para usar el predeterminado.
b-edit-current =
    Actual:
    <code>{ $current }</code>
b-edit-keep = /cancel para dejarlo como está.
b-edit-saved = ✅ Guardado. Tus publicaciones se actualizarán en un momento.
b-post-language-saved = Las publicaciones ahora están en { $language }

## Bot: dueños, permisos del bot

b-owner-bot-removed = 🔴 Me han sacado de <b>{ $title }</b>, así que las ventas de tu canal están detenidas. Vuelve a añadirme como administrador para reanudarlas.
b-owner-bot-lacks-rights = 🟠 He perdido permisos en <b>{ $title }</b>: { $rights }. Las ventas están detenidas hasta que me los vuelvas a dar.
b-owner-bot-restored = 🟢 Vuelvo a tener mis permisos en <b>{ $title }</b>. Tu canal vuelve a vender.

## Bot: pagos en revisión (dueño)

b-review-granted = ✅ <b>Concedido.</b> El pago <code>{ $id }</code> cuenta ya como pagado; el cliente recibe su acceso como en cualquier pedido pagado.
b-review-note-prompt = ✍️ Envía una nota breve para el registro del pago <code>{ $id }</code> (por qué lo descartas, p. ej. «reembolsado al pagador»), o /skip para descartarlo sin nota.
b-review-dismissed = ✖️ Pago <code>{ $id }</code> <b>descartado</b>. No se ha concedido nada.
b-review-dismissed-note = ✖️ Pago <code>{ $id }</code> <b>descartado</b>: { $note }. No se ha concedido nada.
b-review-already-resolved = Este pago ya está resuelto
b-review-not-yours = Solo el dueño del canal puede decidirlo
b-review-cannot-grant = Ya no se puede conceder acceso por este pago
b-review-note-too-long = La nota es demasiado larga: que no pase de { $max } caracteres, o envía /skip.
b-post-language-button = 🌐 Idioma de las publicaciones
b-post-language-prompt = 🌐 ¿En qué idioma escribo las publicaciones y los botones de planes de <b>{ $title }</b>? Ambas publicaciones se volverán a publicar en él.

## Owner dashboard (Mini App): apps/bot-gateway/src/dashboard. { $x } placeholders are filled in the browser.
dash-button = 📊 Panel
dash-title = Panel de TelePay
dash-loading = Cargando…
dash-choose-channel = Tus canales
dash-no-channels = Todavía no tienes canales. Usa /newchannel en el bot.
dash-refused-missing = Abre el panel desde el bot (/mychannels): Telegram no envió tus datos de acceso.
dash-refused-stale = Esta sesión del panel es demasiado antigua. Ciérralo y vuelve a abrirlo desde /mychannels.
dash-refused-forged = La firma de Telegram no coincide. Vuelve a abrir el panel desde /mychannels.
dash-refused-not-owner = Este canal no es tuyo.
dash-refused-rights = Según Telegram, ya no eres administrador de este canal o el bot perdió sus permisos de administrador. Revísalo en /mychannels.
dash-invalid-input = No se guardó: { $reason }
dash-failed = Algo salió mal. Inténtalo de nuevo en un momento.
dash-status = Estado: { $status }
dash-revenue-monthly = Ingresos por mes
dash-revenue-daily = Ingresos por día (últimos 30 días)
dash-rail-crypto = Cripto (NOWPayments)
dash-rail-stars = Telegram Stars
dash-no-revenue = No hay pedidos pagados en este periodo.
dash-by-tier = Por plan
dash-donations = Donaciones
dash-tier-retired = { $label } (plan retirado)
dash-orders = Pagados: { $n }
dash-subscribers = Suscriptores
dash-active-now = Activos ahora
dash-mrr = Ingresos recurrentes mensuales (MRR)
dash-mrr-none = —
dash-new-vs-churned = Altas y bajas por mes
dash-new-label = Altas
dash-churned-label = Bajas
dash-funnel = Conversión (últimos 30 días)
dash-funnel-opened = Ofertas abiertas
dash-funnel-invoices = Facturas creadas
dash-funnel-paid = Pagadas
dash-reviews = Pagos por revisar
dash-reviews-none = No hay nada que revisar.
dash-reviews-help = «Dar acceso» lo concede como si el pedido estuviera pagado por completo. «Descartar» guarda tu nota (por ejemplo, que devolviste el dinero) y no cambia nada más.
dash-review-grant = Dar acceso igualmente
dash-review-dismiss = Descartar
dash-review-note = Nota (opcional)
dash-review-granted = Acceso concedido: el comprador recibirá su invitación.
dash-review-dismissed = Descartado.
dash-review-conflict = Ya estaba resuelto o cambió mientras tanto: { $reason }
dash-tiers = Planes
dash-tier-label = Nombre
dash-tier-price = Precio
dash-tier-days = Días
dash-add-tier = Añadir un plan
dash-remove-tier = Quitar
dash-save-tiers = Guardar planes
dash-saved-tiers = Guardado. La publicación de planes en tu canal público se está actualizando.
dash-as-of = Datos a las { $time } (UTC)
dash-trials = Pruebas gratis (últimos 30 días)
dash-trials-started = Iniciadas
dash-trials-converted = Luego pagaron
dash-promos = Códigos promocionales
dash-promos-none = Aún no hay códigos. Crea uno en /mychannels o con telepay promo add.
dash-promo-uses = usado { $uses } veces
dash-promo-uses-of = usado { $uses } de { $max }
dash-promo-expires = hasta el { $date }
dash-promo-disabled = desactivado

## Bot: the owner's balance in /mychannels (operator settlement)

mc-balance-title = 💸 <b>Tus ganancias</b> (los pagos llegan al operador, que te los transfiere)
mc-balance-none = 💸 <b>Tus ganancias</b>: todavía nada.
mc-balance-due = { $currency }: <b>{ $due }</b> pendiente de pago · { $paid } pagado de { $earned } ganado
mc-balance-ahead = { $currency }: se te pagó <b>{ $ahead }</b> por adelantado (llegó un reembolso después de un pago) y se descontará de tus próximas ganancias · { $paid } pagado de { $earned } ganado
mc-balance-last = Último pago: { $amount } el { $date }
mc-balance-never = Aún no hay pagos.
mc-balance-direct = 💸 Los pagos van directo a tu billetera de cobro: no retenemos nada por ti.

## Telegram Stars (bot: suscriptores; notificador: publicaciones de planes). Diseño: docs/stars.md

stars-amount = { $stars } ⭐
stars-menu-button = ⭐ { $label } · { $stars } estrellas
stars-offer-button = ⭐ Pagar con estrellas — { $stars }
stars-pay-button = ⭐ Pagar { $stars } estrellas
stars-invoice-description = { $plan }: { $days } de acceso a { $title }.
stars-invoice =
    ⭐ <b>{ $title }</b> — { $plan }
    { $price } por { $days }.

    { $renewal }
stars-renews-note = Se renueva sola cada 30 días; puedes detener la renovación cuando quieras en /subscriptions.
stars-one-off-note = Un solo pago, sin renovación.
stars-not-sold = Este plan no se puede comprar con estrellas en este momento.
stars-checkout-unknown-order = Esta factura ya no es válida. Vuelve a abrir los planes del canal.
stars-checkout-not-yours = Esta factura se hizo para otra persona. Abre tú mismo los planes del canal.
stars-checkout-price-changed = El precio de este plan cambió. Vuelve a abrir los planes del canal.
stars-checkout-unavailable = Este plan ya no está a la venta. Vuelve a abrir los planes del canal.
stars-checkout-already-paid = Esta factura ya está pagada. Mira /subscriptions.
stars-payment-review = ⭐ Recibimos tu pago en estrellas, pero no coincide con el pedido. El dueño del canal lo revisará y te avisaremos.
stars-renewal-on = 🔁 { $title }: se renueva con estrellas el { $date }.
stars-renewal-off = ⏹ { $title }: la renovación está detenida, el acceso termina el { $date }.
stars-stop-button = ⏹ Detener renovación — { $title }
stars-resume-button = 🔁 Reanudar renovación — { $title }
stars-renewal-stopped = Renovación detenida
stars-renewal-resumed = Renovación reanudada
stars-tiers-need-price = Este canal vende con estrellas de Telegram: termina la línea de cada plan con su precio en estrellas, por ejemplo 9.99:30:Mensual ⭐250.
stars-renewal-failed = Telegram no aceptó el cambio. Inténtalo de nuevo más tarde.
n-tier-post-stars-line = • { $label }: { $stars } estrellas por { $days }
n-tier-post-both-line = • { $label }: { $price } o { $stars } estrellas por { $days }
n-tier-post-stars-button = ⭐ { $label } — { $stars } estrellas
n-tier-post-stars-footer = Paga con estrellas de Telegram; el acceso se da automáticamente.
n-tier-post-both-footer = Paga con cripto o con estrellas de Telegram; el acceso se da automáticamente.
n-tier-post-rails =
    🔒 <b>{ $title }</b>
    { $description }
    { $tiers }

    { $footer }

## Promo codes and free trials in the bot (issue 15; catalog/promo.ts). Subscribers first, then owners.
pr-have-code-button = 🏷 ¿Tienes un código?
pr-trial-button = 🎁 Prueba gratis de { $days ->
    [one] { $days } día
   *[other] { $days } días
}
pr-code-prompt = 🏷 Envíame tu código promocional para <b>{ $title }</b> en un mensaje. /cancel para salir.
pr-code-notice = 🏷 Se aplicará el código <b>{ $code }</b>: elige un plan para ver tu precio.
pr-tier-button = 🏷 { $plan } con el código
pr-discount-line = 🏷 Código <b>{ $code }</b>: <s>{ $before }</s> → <b>{ $after }</b>
pr-refused-format = ⚠️ Eso no parece un código promocional: tiene de 3 a 32 letras, dígitos, _ o -. No se cambió nada.
pr-refused-unknown = ⚠️ Este canal no tiene el código <b>{ $code }</b>. Revisa cómo lo escribiste e inténtalo de nuevo.
pr-refused-disabled = ⚠️ El código <b>{ $code }</b> ya no es válido.
pr-refused-expired = ⚠️ El código <b>{ $code }</b> ha caducado.
pr-refused-tier = ⚠️ El código <b>{ $code }</b> no vale para este plan. Prueba con otro plan.
pr-refused-used-up = ⚠️ El código <b>{ $code }</b> ya se agotó.
pr-refused-below-minimum = ⚠️ Con el código <b>{ $code }</b> este plan costaría { $price }, menos que el mínimo del procesador de pagos ({ $minimum }), así que no se puede usar para él.
pr-refused-donation = ⚠️ Los códigos promocionales solo valen para suscripciones.
pr-trial-started = 🎁 Empezó tu prueba gratis de <b>{ $title }</b>: { $period }, hasta el <b>{ $until }</b>. Tu enlace de invitación está en camino.
pr-trial-used = Ya usaste la prueba gratis de <b>{ $title }</b>: es una por persona. Elige un plan para quedarte.
pr-trial-subscribed = Ya tienes acceso a <b>{ $title }</b>: mira /subscriptions.
pr-trial-no-trial = <b>{ $title }</b> no ofrece prueba gratis ahora mismo.
pr-trial-channel-inactive = <b>{ $title }</b> no acepta nuevos suscriptores ahora mismo.
pr-promos-button = 🏷 Códigos promocionales
pr-add-button = ➕ Nuevo código
pr-disable-button = 🚫 Desactivar { $code }
pr-back-button = ⬅️ Volver
pr-list-head = 🏷 <b>Códigos promocionales de { $title }</b>
pr-list-none = Todavía no hay códigos. Toca <b>Nuevo código</b> para crear uno.
pr-list-more = …y { $count } más (antiguos o desactivados): el 📊 Panel los muestra todos.
pr-list-line =
    <code>{ $code }</code> — { $details }
    { $url }
pr-percent-off = −{ $percent }%
pr-amount-off = −{ $amount }
pr-uses = usado { $uses } veces
pr-uses-of = usado { $uses } de { $max }
pr-held = { $held } reservados por pedidos sin pagar
pr-expires = hasta el { $date }
pr-tiers = planes { $tiers }
pr-disabled = desactivado
pr-ask-code = 🏷 Nuevo código (1/5). Envía el código: de 3 a 32 letras, dígitos, _ o -, como <code>SPRING26</code>. /cancel para salir.
pr-ask-discount = (2/5) El descuento: un porcentaje como <code>20%</code>, o un importe en { $currency } como <code>5</code>.
pr-ask-max-uses = (3/5) ¿Cuántas veces se puede usar? Un número, o <code>-</code> sin límite.
pr-ask-expiry = (4/5) ¿Cuántos días es válido? Un número de días, una fecha como <code>2026-12-31</code>, o <code>-</code> sin caducidad.
pr-ask-tiers =
    (5/5) ¿Para qué planes? Sus números separados por comas, o <code>-</code> para todos:
    { $tiers }
pr-bad-code = ⚠️ Un código tiene de 3 a 32 letras, dígitos, _ o -. Envíalo de nuevo.
pr-bad-taken = ⚠️ Este canal ya tiene ese código. Envía otro.
pr-bad-discount = ⚠️ Envía un porcentaje como <code>20%</code> o un importe como <code>5</code>.
pr-bad-percent-off = ⚠️ El porcentaje debe ser un número entero de 1 a 99.
pr-bad-amount-off = ⚠️ El importe debe ser positivo, con 2 decimales como máximo.
pr-bad-max-uses = ⚠️ Envía un número entero de 1 a 1000000, o <code>-</code>.
pr-bad-expires-at = ⚠️ Envía un número de días de 1 a 3650, una fecha futura como <code>2026-12-31</code>, o <code>-</code>.
pr-bad-tier-positions = ⚠️ Envía números de plan de la lista, separados por comas, o <code>-</code>.
pr-created =
    ✅ Código <code>{ $code }</code> creado. Comparte este enlace: abre tus planes con el código aplicado:
    { $url }
pr-disabled-toast = Código { $code } desactivado

## Botón de reembolso del dueño (bot; notificador: el botón del aviso de pago). docs/stars.md

n-owner-refund-button = ↩️ Reembolsar
refund-confirm-stars =
    ↩️ ¿Reembolsar { $amount } a { $customer } (pedido <code>{ $reference }</code>)?

    Telegram devuelve las Stars al suscriptor y se retira el acceso que compró este pago. No se puede deshacer.
refund-confirm-recorded =
    ↩️ ¿Registrar un reembolso de { $amount } a { $customer } (pedido <code>{ $reference }</code>)?

    TelePay no puede devolver criptomonedas: devuélvele el dinero al suscriptor tú mismo. Al confirmar se retira el acceso que compró este pago y se avisa al suscriptor del reembolso. No se puede deshacer.
refund-confirm-button-stars = ↩️ Sí, reembolsar las Stars
refund-confirm-button-recorded = ↩️ Sí, registrar el reembolso
refund-keep-button = Conservar el pago
refund-kept = No se reembolsó nada.
refund-done-stars = ↩️ Reembolsado: Telegram devolvió { $amount } del pedido <code>{ $reference }</code> y se retiró el acceso.
refund-done-recorded = ↩️ Reembolso registrado para el pedido <code>{ $reference }</code> y acceso retirado. No olvides devolverle { $amount } al suscriptor.
refund-not-yours = Solo el dueño del canal puede reembolsar este pago.
refund-already = Este pago ya fue reembolsado.
refund-not-refundable = Este pago no se puede reembolsar: no pagó su pedido.
refund-failed = Telegram no aceptó el reembolso, así que no cambió nada. Inténtalo de nuevo más tarde.

## Owner's free trial setting in /mychannels (catalog/promo.ts)
pr-trial-settings-button = 🎁 Prueba gratis: { $current }
pr-trial-off = desactivada
pr-ask-trial-days = 🎁 Prueba gratis de <b>{ $title }</b> — ahora: { $current }. Envía cuántos días gratis puede tomar un nuevo suscriptor, una sola vez (de 0 a { $max }; 0 la desactiva). /cancel para salir.
pr-bad-trial-days = ⚠️ Envía un número entero de días de 0 a { $max }.
pr-trial-days-saved = ✅ Prueba gratis: { $current }.

## Mensajes masivos del dueño (/broadcast en el bot y el mensaje de progreso que edita el notifier)
bc-panel-button = 📣 Mensaje a suscriptores
bc-command = Escribir a tus suscriptores
bc-pick-channel = 📣 ¿A los suscriptores de qué canal quieres escribir?
bc-no-channels = Todavía no tienes canales. Agrega uno con /newchannel y luego podrás escribir aquí a sus suscriptores.
bc-compose =
    📣 <b>Mensaje a suscriptores — { $title }</b>

    Envíame el mensaje: texto (hasta { $max } caracteres) o una foto con su descripción (hasta { $maxCaption }). Los suscriptores lo recibirán de mí, con el nombre del canal, tal como lo escribas.

    /cancel para salir.
bc-too-long = Tiene { $length } caracteres y este tipo de mensaje admite como máximo { $max }. Acórtalo y envíalo de nuevo.
bc-unsupported = Puedo enviar texto o una foto con descripción. Envía uno de los dos, o /cancel.
bc-pick-audience = ¿Quién de <b>{ $title }</b> debe recibirlo?
bc-audience-active = Suscriptores activos ({ $count })
bc-audience-expired = Suscripciones vencidas ({ $count })
bc-audience-all = Todos los que pagaron ({ $count })
bc-audience-name-active = suscriptores activos
bc-audience-name-expired = suscripciones vencidas
bc-audience-name-all = todos los que pagaron
bc-confirm =
    👆 Así es exactamente como lo verán.

    <b>¿Enviarlo a { $count ->
        [one] { $count } persona
       *[other] { $count } personas
    } ({ $audience } de { $title })?</b>
bc-send-button = ✅ Enviar
bc-change-audience-button = 👥 Cambiar destinatarios
bc-rewrite-button = ✏️ Cambiar mensaje
bc-cancel-button = ✖️ Cancelar
bc-daily-limit = ⏳ <b>{ $title }</b> ya envió { $limit ->
        [one] { $limit } mensaje masivo
       *[other] { $limit } mensajes masivos
    } en las últimas 24 horas, el máximo permitido. Inténtalo más tarde.
bc-no-recipients = Ahora mismo no hay nadie en ese grupo. Elige otro.
bc-expired = Ese mensaje quedó sin terminar demasiado tiempo y caducó. Empieza de nuevo con /broadcast.
bc-draft-cancelled = Envío cancelado. No se envió nada.
bc-no-draft-toast = Nada que enviar: empieza de nuevo con /broadcast
bc-not-yours-toast = Ese envío no es tuyo
bc-stopped-toast = Envío detenido
bc-already-over-toast = Ese envío ya terminó
bc-stop-button = ✖️ Detener el envío
bc-progress-starting = ⏳ <b>Empezando el envío a { $title }…</b>
bc-progress-running = 📤 <b>Enviando el mensaje a { $title }…</b>
bc-progress-done = ✅ <b>Envío a { $title } terminado.</b>
bc-progress-cancelled = 🛑 <b>Envío a { $title } detenido.</b> Nadie más lo recibirá.
bc-progress =
    { $head }

    Entregados: { $sent } de { $total }
    Bloquearon el bot o dejaron Telegram: { $blocked }
    Fallidos: { $failed }

## Direct checkout (SETTLEMENT=direct): the coin choice, then one message with the QR code whose status line is edited. docs/settlement.md

b-checkout-order =
    🧾 <b>Tu pedido</b>
    Canal: <b>{ $title }</b>
    Plan: { $plan }
    Duración: { $duration }
    Importe: <b>{ $amount }</b>

    Elige abajo la moneda con la que vas a pagar. Tu acceso empieza en cuanto se confirme el pago; te escribiré con el enlace.
b-checkout-order-donation =
    💝 <b>Donación a { $title }</b>
    Importe: <b>{ $amount }</b>

    Elige abajo la moneda con la que vas a pagar. ¡Gracias!
checkout-coin-unavailable = ⚠️ Ahora no se puede pagar este importe en { $coin } (NOWPayments lo rechazó, a menudo porque está por debajo del mínimo de esa moneda). No se cobró nada: elige otra moneda.
checkout-head = 🧾 <b>{ $title }</b> · { $price }
checkout-send =
    Envía exactamente <code>{ $amount }</code> { $coin } a esta dirección:
    <code>{ $address }</code>
checkout-memo = Memo / etiqueta (obligatorio): <code>{ $memo }</code>
checkout-expires = Paga antes de { $expires }, en una sola transferencia por el importe exacto.
checkout-status-waiting = ⏳ Esperando tu pago.
checkout-status-confirming = 🔄 Pago detectado: esperando la confirmación de la red.
checkout-status-partially-paid = ⚠️ Solo llegó una parte del importe. Envía el resto a la misma dirección antes de que venza el pago, o contacta con el dueño del canal.
checkout-status-finished = ✅ Pago recibido. ¡Gracias!
checkout-status-expired = ⌛ Este pago venció sin que llegara el dinero. Si aún quieres acceso, haz un pedido nuevo desde el menú del canal.
checkout-status-failed = ❌ El pago falló. Haz un pedido nuevo desde el menú del canal o contacta con el dueño del canal.
checkout-status-refunded = ↩️ Este pago fue reembolsado.
checkout-status-needs-review = 🔎 El pago llegó y el dueño del canal lo está revisando. Te escribiré cuando decida.
checkout-wallet-refused = ⚠️ NOWPayments no puede pagar a <code>{ $wallet }</code> en { $currency }: { $reason }
    Aquí los pagos van directo a tu billetera, así que envía una dirección de billetera para esa moneda.
checkout-wallet-unchecked = ⚠️ No pude verificar la billetera con NOWPayments ahora mismo. No se guardó nada: envía la dirección de nuevo en un momento.
