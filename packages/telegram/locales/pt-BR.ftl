# TelePay — português (Brasil). As mensagens são HTML do Telegram; packages/telegram/src/catalog
# preenche (e escapa) os { $placeholders }. Todas as chaves existem em todos os idiomas (há teste).

## Comum

days = { $count ->
    [one] { $count } dia
   *[other] { $count } dias
}
this-channel = este canal
plan-default = Assinatura
join-button = Entrar em { $title }

## Avisos: assinantes

n-plan-line = Plano: { $plan } — { $price }
n-how-join-request = Toque no botão e envie um pedido para entrar: ele é aprovado automaticamente para a sua conta. O link expira em 24 horas.
n-how-member-limit = Toque no botão para entrar. O link vale para uma pessoa e expira em 24 horas.
n-access-invite =
    ✅ <b>Pagamento recebido — boas-vindas ao { $title }!</b>

    { $plan }
    Acesso até: <b>{ $until }</b>

    { $how }
n-manual-grant =
    🎁 <b>Você recebeu acesso ao { $title }.</b>

    Acesso até: <b>{ $until }</b>

    { $how }
n-access-renewed =
    🔁 <b>Sua assinatura do { $title } foi renovada até { $until }.</b>

    { $plan }
    Obrigado por continuar com a gente!
n-access-extended = 🗓 Seu acesso ao <b>{ $title }</b> agora vai até <b>{ $until }</b>.
n-access-revoked = ⛔ O dono do canal cancelou seu acesso ao <b>{ $title }</b>.
n-access-expired =
    ⌛ Sua assinatura do <b>{ $title }</b> terminou, então você saiu do canal.

    Pode voltar quando quiser.
n-renew-button = Renovar
n-access-pending =
    ✅ <b>Pagamento recebido para { $title }</b> — seu acesso vai até <b>{ $until }</b>.

    No momento o bot não consegue criar seu link de convite; o dono do canal já foi avisado. Mais tarde, use /subscriptions para pegar seu link.
n-expiry-reminder =
    ⏰ Sua assinatura do <b>{ $title }</b> termina em { $days }, em <b>{ $until }</b>.

    Renove agora para não perder o acesso: o tempo comprado é somado ao que ainda resta.
n-grace-reminder =
    ⌛ Sua assinatura do <b>{ $title }</b> terminou em <b>{ $expired }</b>. Você mantém o acesso até <b>{ $until }</b>, então ainda dá tempo.

    Renovando antes disso, os dias comprados contam a partir da data em que terminou.
n-plans-button = Ver planos
n-trial-reminder =
    ⏰ Seu teste grátis do <b>{ $title }</b> termina em { $days }, em <b>{ $until }</b>.

    Gostou? Escolha um plano para continuar no canal.
n-donation-thanks = 💛 <b>Obrigado!</b> Sua doação de { $amount } para o <b>{ $title }</b> chegou.
n-payment-confirming = ⏳ Já vimos seu pagamento para <b>{ $title }</b>. Ele está aguardando as confirmações da rede; você recebe o acesso assim que for confirmado. Não precisa fazer nada.
n-partial-detail = Recebemos { $received } de { $expected }; <b>faltam { $missing }</b>.
n-partial-unknown = O valor recebido é menor que o da fatura.
n-payment-partial =
    ⚠️ Seu pagamento para <b>{ $title }</b> está incompleto. { $detail }

    Envie o que falta para o mesmo endereço antes de a fatura expirar, ou fale com o dono do canal.
n-payment-failed = ❌ Seu pagamento para <b>{ $title }</b> falhou, então o acesso não foi liberado. Você pode fazer um novo pedido pelo menu do canal.
n-payment-expired = ⌛ A fatura de <b>{ $title }</b> expirou antes de o pagamento chegar. Se ainda quiser acesso, faça um novo pedido pelo menu do canal.
n-payment-refunded = ↩️ Seu pagamento para <b>{ $title }</b> foi reembolsado.
n-reversal-removed = ↩️ Seu pagamento para <b>{ $title }</b> foi reembolsado, então o acesso que ele pagava foi retirado e você foi removido do canal.
n-reversal-shortened = ↩️ Seu pagamento para <b>{ $title }</b> foi reembolsado, então o tempo que ele pagava foi descontado da sua assinatura. Agora seu acesso vale até <b>{ $until }</b>.
n-reversal-not-granted = ↩️ Seu pagamento para <b>{ $title }</b> foi reembolsado antes de o acesso ser liberado, então nenhum acesso foi concedido.

## Avisos: posts no canal (no idioma do canal)

n-tier-post-line = • { $label }: { $price } por { $days }
n-tier-post =
    🔒 <b>{ $title }</b>
    { $description }
    { $tiers }

    Pague com cripto; o acesso é liberado automaticamente.
n-tier-post-button = { $label } — { $price }
n-donation-post = 💛 Curtindo o <b>{ $title }</b>? Você pode apoiar com uma doação.
n-donate-button = 💛 Doar

## Avisos: donos (no idioma do dono)

n-someone = Alguém
n-paid-with-price = { $paid } (preço { $price })
n-owner-payment-head = 💰 <b>Novo pagamento de assinatura — { $title }</b>
n-owner-donation-head = 💛 <b>Nova doação — { $title }</b>
n-owner-customer = Cliente: { $customer }
n-owner-tier = Plano: { $tier }
n-owner-paid = Pago: { $paid }
n-owner-until = Acesso até: { $until }
n-owner-payout = Repasse: { $payout }
n-owner-order = Pedido: <code>{ $reference }</code>
n-owner-reversal-head = ↩️ <b>Reembolso — { $title }</b>
n-owner-reversal-refunded = Reembolsado: { $amount }
n-owner-reversal-removed = O tempo que este pedido pagava foi retirado. Não resta tempo pago, então o assinante está sendo removido do canal.
n-owner-reversal-shortened = O tempo que este pedido pagava foi retirado. Agora o acesso dele vale até <b>{ $until }</b>.
n-owner-reversal-not-granted = O acesso ainda não tinha sido liberado e não será por este pedido.
n-owner-reversal-nothing = Não restava tempo sem uso deste pedido para retirar.
n-broadcast-running = 📤 <b>Enviando mensagem para { $title }…</b>
n-broadcast-done = ✅ <b>Envio para { $title } concluído.</b>
n-broadcast-failed-why = { " " }(bloquearam o bot ou saíram do Telegram)
n-broadcast-progress =
    { $head }

    Entregues: { $sent } de { $total }
    Não entregues: { $failed }{ $why }
n-owner-cannot-invite = ⚠️ Não consegui criar um link de convite em <b>{ $title }</b>: faltam permissões de administrador. Me torne admin com permissão para convidar usuários, banir usuários e publicar mensagens.
n-owner-cannot-publish = ⚠️ Não consegui publicar o post em <b>{ $title }</b>: faltam permissões de administrador. Me torne admin com permissão para convidar usuários, banir usuários e publicar mensagens.
n-owner-removal-failed = ⚠️ Não consegui remover o usuário <code>{ $user }</code> de <b>{ $title }</b>: { $reason }. Vou continuar tentando.

## Avisos: pagamentos em revisão (dono)

n-review-head = 🔎 <b>Um pagamento precisa da sua decisão — { $title }</b>
n-review-order = Pedido: { $order } · <code>{ $reference }</code>
n-review-asked = Cobrado: { $amount }
n-review-arrived = Recebido: { $amount }
n-review-payment = Pagamento: <code>{ $id }</code> ({ $status })
n-review-can-grant = <b>Liberar mesmo assim</b> dá acesso como num pedido pago. <b>Descartar</b> registra o motivo (por exemplo, que você reembolsou o pagador).
n-review-cannot-grant = Não dá para liberar acesso com este pagamento. Depois de resolver (por exemplo, reembolsando o pagador), descarte com uma observação.
n-review-grant-button = ✅ Liberar mesmo assim
n-review-dismiss-button = ✖️ Descartar com observação
n-review-reason-underpaid = A fatura foi paga com valor menor que o preço do pedido.
n-review-reason-paid-short = Chegou menos do que o pagamento pedia.
n-review-reason-partially-paid = Só chegou parte do valor.
n-review-reason-overpaid = Chegou mais do que o pagamento pedia. O acesso foi liberado; talvez seja preciso devolver a diferença.
n-review-reason-currency-mismatch = A fatura está em outra moeda que o pedido.
n-review-reason-re-deposit = Chegou outro depósito no endereço de um pagamento anterior.
n-review-reason-duplicate-payment = Este pedido já estava pago: este é um segundo pagamento.
n-review-reason-invoice-mismatch = O pagamento é de outra fatura, não da deste pedido.
n-review-reason-pay-changed = A moeda ou o valor mudaram depois que o pagamento começou.
n-review-reason-missing-amount = O aviso de pagamento não dizia quanto chegou.
n-review-reason-unknown-status = A NOWPayments informou um status de pagamento que o TelePay não conhece.
n-review-reason-other = O pagamento não corresponde ao pedido.

## Owner dashboard (Mini App): apps/bot-gateway/src/dashboard. { $x } placeholders are filled in the browser.
dash-button = 📊 Painel
dash-title = Painel do TelePay
dash-loading = Carregando…
dash-choose-channel = Seus canais
dash-no-channels = Você ainda não tem canais. Use /newchannel no bot.
dash-refused-missing = Abra o painel pelo bot (/mychannels): o Telegram não enviou seus dados de acesso.
dash-refused-stale = Esta sessão do painel expirou. Feche e abra de novo pelo /mychannels.
dash-refused-forged = A assinatura do Telegram não confere. Abra o painel de novo pelo /mychannels.
dash-refused-not-owner = Este canal não é seu.
dash-refused-rights = Segundo o Telegram, você não é mais administrador deste canal ou o bot perdeu as permissões de administrador. Confira em /mychannels.
dash-invalid-input = Não foi salvo: { $reason }
dash-failed = Algo deu errado. Tente de novo daqui a pouco.
dash-status = Status: { $status }
dash-revenue-monthly = Receita por mês
dash-revenue-daily = Receita por dia (últimos 30 dias)
dash-rail-crypto = Cripto (NOWPayments)
dash-rail-stars = Telegram Stars
dash-no-revenue = Nenhum pedido pago neste período.
dash-by-tier = Por plano
dash-donations = Doações
dash-tier-retired = { $label } (plano descontinuado)
dash-orders = Pagos: { $n }
dash-subscribers = Assinantes
dash-active-now = Ativos agora
dash-mrr = Receita recorrente mensal (MRR)
dash-mrr-none = —
dash-new-vs-churned = Novos e cancelados por mês
dash-new-label = Novos
dash-churned-label = Cancelados
dash-funnel = Conversão (últimos 30 dias)
dash-funnel-opened = Ofertas abertas
dash-funnel-invoices = Cobranças geradas
dash-funnel-paid = Pagas
dash-reviews = Pagamentos para revisar
dash-reviews-none = Nada para revisar.
dash-reviews-help = "Liberar acesso" concede o acesso como se o pedido estivesse pago por completo. "Dispensar" guarda sua observação (por exemplo, que você devolveu o dinheiro) e não muda mais nada.
dash-review-grant = Liberar acesso mesmo assim
dash-review-dismiss = Dispensar
dash-review-note = Observação (opcional)
dash-review-granted = Acesso liberado: o comprador vai receber o convite.
dash-review-dismissed = Dispensado.
dash-review-conflict = Já foi resolvido ou mudou nesse meio-tempo: { $reason }
dash-tiers = Planos
dash-tier-label = Nome
dash-tier-price = Preço
dash-tier-days = Dias
dash-add-tier = Adicionar plano
dash-remove-tier = Remover
dash-save-tiers = Salvar planos
dash-saved-tiers = Salvo. O post com os planos no seu canal público está sendo atualizado.
dash-as-of = Dados de { $time } (UTC)
dash-trials = Testes grátis (últimos 30 dias)
dash-trials-started = Iniciados
dash-trials-converted = Depois pagaram
dash-promos = Cupons
dash-promos-none = Nenhum cupom ainda. Crie um em /mychannels ou com telepay promo add.
dash-promo-uses = usado { $uses } vezes
dash-promo-uses-of = usado { $uses } de { $max }
dash-promo-expires = até { $date }
dash-promo-disabled = desativado
