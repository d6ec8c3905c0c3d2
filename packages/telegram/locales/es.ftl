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
n-broadcast-running = 📤 <b>Enviando el mensaje a { $title }…</b>
n-broadcast-done = ✅ <b>Envío a { $title } terminado.</b>
n-broadcast-failed-why = { " " }(bloquearon el bot o dejaron Telegram)
n-broadcast-progress =
    { $head }

    Entregados: { $sent } de { $total }
    Sin entregar: { $failed }{ $why }
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
