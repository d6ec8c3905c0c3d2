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
n-trial-invite =
    🎁 <b>Seu teste grátis do { $title } começou.</b>

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

## Bot: comum

b-there = tudo bem
b-welcome =
    👋 <b>Oi, { $name }!</b>

    Eu vendo acesso a canais privados do Telegram, com pagamento em cripto.

    • Viu um post de canal com planos? Toque em um plano e eu cuido do resto.
    • /subscriptions — suas assinaturas, renovações e como voltar a entrar
    • /newchannel — venda acesso ao seu próprio canal
    • /mychannels — gerencie os canais que você vende
    • /language — o idioma em que eu escrevo para você
    • /help — como tudo funciona
b-help =
    <b>Como o TelePay funciona</b>

    <b>Assinantes</b>
    1. Toque em um plano no post de um canal (ou abra o link que você recebeu).
    2. Pague a fatura com a cripto que preferir.
    3. Assim que o pagamento for confirmado, eu envio um link para o canal privado.
    Renove quando quiser em /subscriptions: o tempo novo é somado ao que ainda resta.

    <b>Donos de canais</b>
    /newchannel guia você para adicionar seu canal público e seu canal privado, seus planos e sua carteira de recebimento.
    /mychannels mostra assinantes e receita, e permite mudar planos e textos, exportar pagamentos e pausar as vendas.
    /broadcast escreve para seus assinantes (ativos, vencidos ou todos que pagaram): texto ou foto, com prévia antes do envio.

    /language muda o idioma em que eu escrevo para você. /cancel interrompe o que você estiver fazendo.
b-unknown-input = Não entendi. Envie /help para ver o que eu sei fazer.
b-stale-button = Esta oferta mudou desde que a mensagem foi enviada. Envie /help para recomeçar ou abra o post do canal de novo.
b-offer-changed = ℹ️ Esta oferta mudou. Veja o que está disponível agora:
b-offer-changed-toast = Esta oferta mudou
b-stale-button-toast = Esse botão está desatualizado
b-something-went-wrong = 😕 Algo deu errado do meu lado. Tente de novo daqui a um minuto.
b-something-went-wrong-toast = Algo deu errado — tente de novo
b-link-not-recognised = Esse link não leva a lugar nenhum que eu conheça. Abra o post do canal de novo ou envie /help.
b-cancelled = Cancelado. Nada foi alterado.
b-nothing-to-cancel = Não há nada para cancelar.
b-yes = Sim
b-no = Não
b-confirm = ✅ Confirmar
b-cancel = ✖️ Cancelar
b-retry = 🔁 Tentar de novo
b-start-again = Recomeçar
b-language-prompt = 🌐 Em qual idioma você quer que eu escreva?
b-language-saved = ✅ Pronto: a partir de agora eu escrevo para você em português.
b-language-saved-toast = Agora em português

## Bot: menu de comandos

b-cmd-start = Começar
b-cmd-subscriptions = Suas assinaturas, renovações e como voltar a entrar
b-cmd-newchannel = Venda acesso ao seu canal
b-cmd-mychannels = Gerencie os canais que você vende
b-cmd-language = Escolha seu idioma
b-cmd-help = Como o TelePay funciona
b-cmd-cancel = Interrompa o que está fazendo

## Bot: assinantes

b-tier-line = • <b>{ $label }</b> — { $price } por { $days }
b-channel-not-found = Não encontro mais esse canal. O link pode estar desatualizado.
b-channel-unavailable = <b>{ $title }</b> não está aceitando novas assinaturas no momento. Volte mais tarde.
b-menu-head = <b>{ $title }</b>
b-menu-head-renewal = 🔁 Renovar <b>{ $title }</b>
b-menu-choose = Escolha um plano:
b-menu-renewal-note = Ao renovar, o tempo novo é somado ao que ainda resta.
b-tier-button = { $label } · { $price } / { $days }
b-buy-button = Continuar — { $price }
b-other-plans = Ver todos os planos
b-see-plans = Ver planos
b-preparing-invoice = Preparando sua fatura…
b-invoice =
    🧾 <b>Seu pedido</b>
    Canal: <b>{ $title }</b>
    Plano: { $plan }
    Duração: { $duration }
    Valor: <b>{ $amount }</b>

    Toque em <b>Pagar</b> para pagar com a cripto que preferir. Seu acesso começa assim que o pagamento for confirmado; eu envio o link por mensagem.
b-invoice-donation =
    💝 <b>Doação para { $title }</b>
    Valor: <b>{ $amount }</b>

    Toque em <b>Pagar</b> para pagar com a cripto que preferir. Obrigado!
b-invoice-description = { $title } — { $plan } ({ $days })
b-invoice-description-donation = Doação para { $title }
b-pay-button = 💳 Pagar { $amount }
b-check-status = 🔄 Ver status
b-status-refreshed = Status atualizado
b-invoice-unavailable = ⚠️ Não consegui falar com o provedor de pagamento agora. Nada foi cobrado — tente de novo.
b-order-not-found = Não encontro esse pedido. Só quem fez o pedido pode vê-lo.
b-status-waiting = ⏳ Aguardando pagamento
b-status-confirming = 🔎 Pagamento identificado — aguardando confirmações da rede
b-status-confirmed = 🔎 Pagamento confirmado na rede — finalizando
b-status-sending = 🔎 Pagamento confirmado — finalizando
b-status-partially-paid = ⚠️ Pago em parte — o valor recebido é menor que o preço
b-status-finished = ✅ Pago
b-status-failed = ❌ O pagamento falhou
b-status-refunded = ↩️ Reembolsado
b-status-expired = ⌛ A fatura expirou — nada foi cobrado
b-status-needs-review = 🕵️ Pagamento recebido, em análise manual
b-status-unknown = ❔ { $status }
b-order-what = <b>{ $title }</b> — { $plan }
b-order-what-days = <b>{ $title }</b> — { $plan } ({ $days })
b-order-what-donation = Doação para <b>{ $title }</b>
b-after-donation-paid = Obrigado pelo apoio! 💝
b-after-subscription-paid = Seu link de acesso está em outra mensagem. Em /subscriptions você vê até quando vale.
b-after-partial = Envie o restante pela página da fatura ou fale com o dono do canal.
b-after-failed = Você pode fazer um novo pedido quando quiser.
b-after-waiting = Já pagou? A confirmação pode levar alguns minutos; toque em “Ver status”.
b-after-pending = Não precisa fazer nada: eu aviso quando estiver pronto.
b-order-paid-at = Pago em: { $date }
b-order-status =
    🧾 <b>Status do pedido</b>
    { $what }
    Valor: { $amount }
    Status: <b>{ $status }</b>{ $paid }
    Referência: <code>{ $reference }</code>

    { $after }
b-my-subscriptions-button = 📋 Minhas assinaturas
b-order-again = 🔁 Pedir de novo
b-no-subscriptions = Você ainda não tem assinaturas. Toque em um plano no post de um canal para assinar.
b-sub-active = ✅ <b>{ $title }</b> — ativa até { $date }
b-sub-expired = ⌛ <b>{ $title }</b> — expirou em { $date }
b-sub-ended = ⌛ <b>{ $title }</b> — encerrada em { $date }
b-subscriptions =
    📋 <b>Suas assinaturas</b>

    { $lines }

    Ao renovar, o tempo novo é somado ao vencimento atual. Saiu de um canal? Toque em “Entrar” para voltar.
b-renew-button = 🔁 Renovar { $title }
b-join-button = 🚪 Entrar em { $title }
b-way-back-in = 🚪 Este é o seu caminho de volta para <b>{ $title }</b>. Toque no botão e envie um pedido para entrar — ele é aprovado automaticamente para a sua conta.
b-join-declined = Seu pedido para entrar em <b>{ $title }</b> foi recusado porque você não tem uma assinatura ativa. Escolha um plano para ter acesso.

## Bot: doações

b-donate-head = 💝 <b>Doar para { $title }</b>
b-donate-body =
    Valor: <code>{ $amount }</code> { $currency }

    Digite o valor no teclado e toque em “Confirmar”.
    De { $min } a { $max }, com no máximo 2 casas decimais.
b-keypad-clear = Limpar
b-keypad-too-many-decimals = No máximo 2 casas decimais
b-keypad-above-max = O máximo é { $max }
b-keypad-below-min = O mínimo é { $min }
b-keypad-has-point = O valor já tem separador decimal
b-keypad-empty = Digite um valor primeiro
b-keypad-stale = Este teclado não está mais ativo
b-keypad-inactive = Este teclado não está mais ativo. Abra o link de doação de novo para recomeçar.
b-keypad-replaced = Este teclado foi substituído por um mais novo, logo abaixo.
b-keypad-timed-out-toast = O tempo deste teclado acabou
b-keypad-timed-out = ⌛ O tempo deste teclado de doação acabou. Nada foi cobrado — recomece quando quiser.
b-donation-cancelled = Doação cancelada. Nada foi cobrado.

## Bot: donos, /newchannel

b-right-invite = Convidar usuários via link
b-right-ban = Banir usuários
b-right-post = Publicar mensagens
b-onboard-intro =
    🚀 <b>Vamos configurar seu canal pago.</b>
    Você precisa de dois canais: um <b>público</b>, onde eu publico seus planos, e um <b>privado</b>, cujo acesso eu vendo.
    Adicione-me aos dois como administrador com permissão para <b>publicar mensagens</b>, <b>convidar usuários via link</b> e <b>banir usuários</b>.

    Envie /cancel a qualquer momento para parar.
b-onboard-open =
    <b>Passo 1 de 7 — canal público</b>
    Encaminhe para mim qualquer post do seu canal público ou envie o @usuário ou o id dele.
    (Preciso ser administrador lá: @{ $bot }.)
b-onboard-closed =
    <b>Passo 2 de 7 — canal privado</b>
    Agora o canal privado pelo qual as pessoas pagam (não o { $open }): encaminhe um post dele ou envie o id.
b-onboard-tiers =
    <b>Passo 3 de 7 — planos</b>
    Envie seus planos, um por linha, no formato <code>preço:dias:nome</code> (preços em { $currency }), por exemplo:
    <code>9.99:30:Mensal
    24.99:90:Trimestral
    89:365:Anual</code>
b-onboard-wallet =
    <b>Passo 4 de 7 — carteira de recebimento</b>
    Envie o endereço da carteira para a qual a NOWPayments deve enviar seus recebimentos.
b-onboard-currency =
    <b>Passo 5 de 7 — moeda de recebimento</b>
    Envie o ticker da moeda dessa carteira, seguido da rede se precisar, como <code>usdttrc20</code> ou <code>usdt tron</code>.
b-onboard-donation =
    <b>Passo 6 de 7 — doações</b>
    Envie o texto do post de doações do seu canal privado, ou <code>skip</code> para usar um simples.
b-onboard-notifications =
    <b>Passo 7 de 7 — notificações</b>
    Quer que eu avise você sobre cada pagamento?
b-text-too-long = O texto pode ter no máximo { $max } caracteres.
b-payout = <code>{ $wallet }</code> em { $currency }
b-payout-network = <code>{ $wallet }</code> em { $currency } ({ $network })
b-default = (padrão)
b-none = (nenhuma)
b-on = ativadas
b-off = desativadas
b-onboard-summary =
    📋 <b>Confira se está tudo certo</b>
    Canal público: <b>{ $open }</b>
    Canal privado: <b>{ $closed }</b>

    <b>Planos</b>
    { $plans }

    Recebimento: { $payout }
    Texto de doação: { $donation }
    Notificações de pagamento: { $notifications }
    Idioma dos posts: { $language }

    Confirme para salvar e publicar o post com seus planos. Os botões abaixo mudam o idioma dos posts.
b-channel-verified = ✅ <b>{ $title }</b> verificado como seu canal { $role ->
        [open] público
       *[closed] privado
    }.
b-identify-help = Encaminhe para mim um post do canal, ou envie o @usuário dele (como <code>@meucanal</code>) ou o id numérico (como <code>-1001234567890</code>).
b-not-a-channel = Isso não é um canal. Encaminhe um post de um <b>canal</b>, ou envie o @usuário ou o id de um canal.
b-cannot-see-channel = Não consigo ver esse canal. Primeiro me adicione como administrador e depois tente de novo.
b-bot-not-admin-open = ⚠️ Não sou administrador de <b>{ $title }</b>. Adicione-me como administrador com permissão para publicar mensagens e envie de novo.
b-bot-not-admin-closed = ⚠️ Não sou administrador de <b>{ $title }</b>. Adicione-me como administrador com permissão para publicar mensagens, convidar usuários via link e banir usuários, e envie de novo.
b-bot-missing-rights = ⚠️ Sou administrador de <b>{ $title }</b>, mas faltam estas permissões: <b>{ $rights }</b>. Conceda-as e envie de novo.
b-owner-not-admin = ⛔ Você não é administrador de <b>{ $title }</b>, então não pode cadastrá-lo.
b-taken = ⛔ <b>{ $title }</b> já foi cadastrado por outra pessoa e não pode ser adicionado de novo.
b-already-yours = <b>{ $title }</b> já é um dos seus canais. Gerencie-o com /mychannels.
b-same-channel = O canal privado precisa ser diferente do público.
b-invalid = ⚠️ { $reason }
b-onboard-expired = Essa configuração ficou parada por tempo demais e expirou. Recomece com /newchannel.
b-fix-and-confirm = Corrija isso no Telegram e toque em “Confirmar” de novo.
b-checking-rights = Verificando seus canais…
b-onboard-done =
    🎉 <b>Pronto!</b> O acesso a { $closed } já está à venda. Estou publicando seus planos em <b>{ $open }</b> e o post de doações no seu canal privado.

    Gerencie tudo com /mychannels.
b-tiers-none = Envie pelo menos um plano.
b-tiers-too-many = No máximo { $max } planos.
b-tier-bad-price = Linha { $line } (“{ $text }”): o preço deve ser um valor positivo com no máximo 2 casas decimais, como 9.99.
b-tier-bad-days = Linha { $line } (“{ $text }”): a duração deve ser um número inteiro de dias de 1 a { $max }.
b-tier-long-label = Linha { $line } (“{ $text }”): o nome passa de { $max } caracteres.
b-wallet-invalid = Isso não parece um endereço de carteira (16 a 128 letras e números, sem espaços).
b-currency-invalid = Envie o ticker, seguido da rede se precisar, como “usdttrc20” ou “usdt tron”.

## Bot: donos, /mychannels

b-channel-status-active = 🟢 vendendo
b-channel-status-paused = ⏸ pausado
b-channel-status-bot-removed = 🔴 bot removido
b-channel-status-bot-lacks-rights = 🟠 bot sem permissões
b-no-channels = Você ainda não tem canais. Adicione um com /newchannel.
b-channel-list =
    📺 <b>Seus canais</b> ({ $count })
    Escolha um para gerenciar.
b-revenue-item = { $amount } ({ $orders ->
        [one] { $orders } pagamento
       *[other] { $orders } pagamentos
    })
b-revenue-none = nada ainda
b-plans-none = nenhum
b-channel-panel =
    📺 <b>{ $closed }</b>
    Canal público: { $open }
    Status: { $status }

    👥 Assinantes ativos: <b>{ $subscribers }</b>
    💰 Receita até agora: <b>{ $revenue }</b>

    <b>Planos</b>
    { $plans }

    Descrição: { $description }
    Texto de doação: { $donation }
    Recebimento: { $payout }
    Notificações de pagamento: { $notifications }
    Idioma dos posts: { $language }
b-edit-tiers = ✏️ Planos
b-edit-description = ✏️ Descrição
b-edit-donation = ✏️ Texto de doação
b-notifications-on = 🔔 Notificações: ativadas
b-notifications-off = 🔕 Notificações: desativadas
b-republish = 📣 Republicar posts
b-export = 📄 Exportar pagamentos
b-pause = ⏸ Pausar vendas
b-resume = ▶️ Retomar vendas
b-all-channels = « Todos os canais
b-notifications-turned-on = Notificações ativadas
b-notifications-turned-off = Notificações desativadas
b-paused = Vendas pausadas
b-resumed = Vendas retomadas
b-republish-requested = Seus posts serão republicados em instantes.
b-refused = Não é possível agora
b-exporting = Preparando a exportação…
b-export-caption = 📄 Pagamentos de <b>{ $title }</b>: { $rows ->
        [one] { $rows } pedido
       *[other] { $rows } pedidos
    }.
b-owner-no-longer-admin = ⛔ O Telegram informa que você não é mais administrador de <b>{ $title }</b>, então não posso fazer alterações por você.
b-edit-tiers-prompt = Envie os novos planos de <b>{ $title }</b>, um por linha, no formato <code>preço:dias:nome</code>. Eles substituem os atuais; quem já pagou mantém o que comprou.
b-edit-description-prompt = Envie a nova descrição de <b>{ $title }</b>, ou <code>-</code> para removê-la.
b-edit-donation-prompt = Envie o novo texto de doação de <b>{ $title }</b>, ou <code>-</code> para usar o padrão.
b-edit-current =
    Atual:
    <code>{ $current }</code>
b-edit-keep = /cancel para deixar como está.
b-edit-saved = ✅ Salvo. Seus posts serão atualizados em instantes.
b-post-language-saved = Os posts agora estão em { $language }

## Bot: donos, permissões do bot

b-owner-bot-removed = 🔴 Fui removido de <b>{ $title }</b>, então as vendas do seu canal estão paradas. Adicione-me de novo como administrador para retomá-las.
b-owner-bot-lacks-rights = 🟠 Perdi permissões em <b>{ $title }</b>: { $rights }. As vendas ficam paradas até você concedê-las de novo.
b-owner-bot-restored = 🟢 Minhas permissões em <b>{ $title }</b> voltaram. Seu canal está vendendo de novo.

## Bot: pagamentos em análise (dono)

b-review-granted = ✅ <b>Liberado.</b> O pagamento <code>{ $id }</code> agora conta como pago; o cliente recebe o acesso como em qualquer pedido pago.
b-review-note-prompt = ✍️ Envie uma nota curta para o registro do pagamento <code>{ $id }</code> (por que você o descartou, por ex. “reembolsei o pagador”), ou /skip para descartar sem nota.
b-review-dismissed = ✖️ Pagamento <code>{ $id }</code> <b>descartado</b>. Nada foi liberado.
b-review-dismissed-note = ✖️ Pagamento <code>{ $id }</code> <b>descartado</b>: { $note }. Nada foi liberado.
b-review-already-resolved = Este pagamento já foi resolvido
b-review-not-yours = Só o dono do canal pode decidir isso
b-review-cannot-grant = Não é mais possível liberar acesso por este pagamento
b-review-note-too-long = A nota está longa demais: use no máximo { $max } caracteres, ou envie /skip.
b-post-language-button = 🌐 Idioma dos posts
b-post-language-prompt = 🌐 Em qual idioma devo escrever os posts e os botões de planos de <b>{ $title }</b>? Os dois posts serão republicados nele.

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

## Bot: the owner's balance in /mychannels (operator settlement)

mc-balance-title = 💸 <b>Seus ganhos</b> (os pagamentos chegam ao operador, que repassa a você)
mc-balance-none = 💸 <b>Seus ganhos</b>: nada ainda.
mc-balance-due = { $currency }: <b>{ $due }</b> a receber · { $paid } repassado de { $earned } ganho
mc-balance-ahead = { $currency }: <b>{ $ahead }</b> foi repassado adiantado (um reembolso chegou depois de um repasse) e será descontado dos próximos ganhos · { $paid } repassado de { $earned } ganho
mc-balance-last = Último repasse: { $amount } em { $date }
mc-balance-never = Nenhum repasse ainda.
mc-balance-direct = 💸 Os pagamentos vão direto para a sua carteira de recebimento: nada fica retido.

## Telegram Stars (bot: assinantes; notificador: posts de planos). Desenho: docs/stars.md

stars-amount = { $stars } ⭐
stars-menu-button = ⭐ { $label } · { $stars } estrelas
stars-offer-button = ⭐ Pagar com estrelas — { $stars }
stars-pay-button = ⭐ Pagar { $stars } estrelas
stars-invoice-description = { $plan }: { $days } de acesso a { $title }.
stars-invoice =
    ⭐ <b>{ $title }</b> — { $plan }
    { $price } por { $days }.

    { $renewal }
stars-renews-note = Renova sozinha a cada 30 dias; você pode parar a renovação quando quiser em /subscriptions.
stars-one-off-note = Pagamento único, sem renovação.
stars-not-sold = Este plano não pode ser comprado com estrelas agora.
stars-checkout-unknown-order = Esta fatura não vale mais. Abra os planos do canal de novo.
stars-checkout-not-yours = Esta fatura foi feita para outra pessoa. Abra você mesmo os planos do canal.
stars-checkout-price-changed = O preço deste plano mudou. Abra os planos do canal de novo.
stars-checkout-unavailable = Este plano não está mais à venda. Abra os planos do canal de novo.
stars-checkout-already-paid = Esta fatura já foi paga. Veja /subscriptions.
stars-payment-review = ⭐ Recebemos seu pagamento em estrelas, mas ele não confere com o pedido. O dono do canal vai verificar, e daremos notícias.
stars-renewal-on = 🔁 { $title }: renova com estrelas em { $date }.
stars-renewal-off = ⏹ { $title }: a renovação está desligada, o acesso termina em { $date }.
stars-stop-button = ⏹ Parar renovação — { $title }
stars-resume-button = 🔁 Retomar renovação — { $title }
stars-renewal-stopped = Renovação parada
stars-renewal-resumed = Renovação retomada
stars-tiers-need-price = Este canal vende com estrelas do Telegram: termine a linha de cada plano com o preço em estrelas, por exemplo 9.99:30:Mensal ⭐250.
stars-renewal-failed = O Telegram não aceitou a mudança. Tente de novo mais tarde.
n-tier-post-stars-line = • { $label }: { $stars } estrelas por { $days }
n-tier-post-both-line = • { $label }: { $price } ou { $stars } estrelas por { $days }
n-tier-post-stars-button = ⭐ { $label } — { $stars } estrelas
n-tier-post-stars-footer = Pague com estrelas do Telegram; o acesso é liberado automaticamente.
n-tier-post-both-footer = Pague com cripto ou com estrelas do Telegram; o acesso é liberado automaticamente.
n-tier-post-rails =
    🔒 <b>{ $title }</b>
    { $description }
    { $tiers }

    { $footer }

## Promo codes and free trials in the bot (issue 15; catalog/promo.ts). Subscribers first, then owners.
pr-have-code-button = 🏷 Tem um cupom?
pr-trial-button = 🎁 Teste grátis de { $days ->
    [one] { $days } dia
   *[other] { $days } dias
}
pr-code-prompt = 🏷 Envie seu cupom para <b>{ $title }</b> numa mensagem. /cancel para sair.
pr-code-notice = 🏷 O cupom <b>{ $code }</b> será aplicado: escolha um plano para ver seu preço.
pr-tier-button = 🏷 { $plan } com o cupom
pr-discount-line = 🏷 Cupom <b>{ $code }</b>: <s>{ $before }</s> → <b>{ $after }</b>
pr-refused-format = ⚠️ Isso não parece um cupom: ele tem de 3 a 32 letras, dígitos, _ ou -. Nada foi alterado.
pr-refused-unknown = ⚠️ Este canal não tem o cupom <b>{ $code }</b>. Confira como escreveu e tente de novo.
pr-refused-disabled = ⚠️ O cupom <b>{ $code }</b> não é mais válido.
pr-refused-expired = ⚠️ O cupom <b>{ $code }</b> expirou.
pr-refused-tier = ⚠️ O cupom <b>{ $code }</b> não vale para este plano. Tente outro plano.
pr-refused-used-up = ⚠️ O cupom <b>{ $code }</b> já se esgotou.
pr-refused-below-minimum = ⚠️ Com o cupom <b>{ $code }</b> este plano custaria { $price }, abaixo do mínimo do processador de pagamentos ({ $minimum }), então o cupom não pode ser usado nele.
pr-refused-donation = ⚠️ Cupons valem só para assinaturas.
pr-trial-started = 🎁 Seu teste grátis do <b>{ $title }</b> começou: { $period }, até <b>{ $until }</b>. Seu link de convite está a caminho.
pr-trial-used = Você já usou o teste grátis do <b>{ $title }</b> — é um por pessoa. Escolha um plano para continuar.
pr-trial-subscribed = Você já tem acesso ao <b>{ $title }</b>: veja /subscriptions.
pr-trial-no-trial = O <b>{ $title }</b> não oferece teste grátis no momento.
pr-trial-channel-inactive = O <b>{ $title }</b> não está aceitando novos assinantes no momento.
pr-promos-button = 🏷 Cupons
pr-add-button = ➕ Novo cupom
pr-disable-button = 🚫 Desativar { $code }
pr-back-button = ⬅️ Voltar
pr-list-head = 🏷 <b>Cupons do { $title }</b>
pr-list-none = Ainda não há cupons. Toque em <b>Novo cupom</b> para criar um.
pr-list-more = …e mais { $count } (antigos ou desativados): o 📊 Painel mostra todos.
pr-list-line =
    <code>{ $code }</code> — { $details }
    { $url }
pr-percent-off = −{ $percent }%
pr-amount-off = −{ $amount }
pr-uses = usado { $uses } vezes
pr-uses-of = usado { $uses } de { $max }
pr-held = { $held } reservados por pedidos não pagos
pr-expires = até { $date }
pr-tiers = planos { $tiers }
pr-disabled = desativado
pr-ask-code = 🏷 Novo cupom (1/5). Envie o código: de 3 a 32 letras, dígitos, _ ou -, como <code>SPRING26</code>. /cancel para sair.
pr-ask-discount = (2/5) O desconto: uma porcentagem como <code>20%</code>, ou um valor em { $currency } como <code>5</code>.
pr-ask-max-uses = (3/5) Quantas vezes ele pode ser usado? Um número, ou <code>-</code> sem limite.
pr-ask-expiry = (4/5) Vale por quantos dias? Um número de dias, uma data como <code>2026-12-31</code>, ou <code>-</code> sem validade.
pr-ask-tiers =
    (5/5) Para quais planos? Os números separados por vírgulas, ou <code>-</code> para todos:
    { $tiers }
pr-bad-code = ⚠️ Um código tem de 3 a 32 letras, dígitos, _ ou -. Envie de novo.
pr-bad-taken = ⚠️ Este canal já tem esse cupom. Envie outro.
pr-bad-discount = ⚠️ Envie uma porcentagem como <code>20%</code> ou um valor como <code>5</code>.
pr-bad-percent-off = ⚠️ A porcentagem deve ser um número inteiro de 1 a 99.
pr-bad-amount-off = ⚠️ O valor deve ser positivo, com no máximo 2 casas decimais.
pr-bad-max-uses = ⚠️ Envie um número inteiro de 1 a 1000000, ou <code>-</code>.
pr-bad-expires-at = ⚠️ Envie um número de dias de 1 a 3650, uma data futura como <code>2026-12-31</code>, ou <code>-</code>.
pr-bad-tier-positions = ⚠️ Envie números de plano da lista, separados por vírgulas, ou <code>-</code>.
pr-created =
    ✅ Cupom <code>{ $code }</code> criado. Compartilhe este link — ele abre seus planos com o cupom aplicado:
    { $url }
pr-disabled-toast = Cupom { $code } desativado

## Botão de reembolso do dono (bot; notificador: o botão do aviso de pagamento). docs/stars.md

n-owner-refund-button = ↩️ Reembolsar
refund-confirm-stars =
    ↩️ Reembolsar { $amount } para { $customer } (pedido <code>{ $reference }</code>)?

    O Telegram devolve as Stars ao assinante, e o acesso que este pagamento comprou é retirado. Isso não pode ser desfeito.
refund-confirm-recorded =
    ↩️ Registrar um reembolso de { $amount } para { $customer } (pedido <code>{ $reference }</code>)?

    O TelePay não consegue devolver cripto: devolva o dinheiro ao assinante você mesmo. Ao confirmar, o acesso que este pagamento comprou é retirado e o assinante é avisado do reembolso. Isso não pode ser desfeito.
refund-confirm-button-stars = ↩️ Sim, reembolsar as Stars
refund-confirm-button-recorded = ↩️ Sim, registrar o reembolso
refund-keep-button = Manter o pagamento
refund-kept = Nada foi reembolsado.
refund-done-stars = ↩️ Reembolsado: o Telegram devolveu { $amount } do pedido <code>{ $reference }</code>, e o acesso foi retirado.
refund-done-recorded = ↩️ Reembolso registrado para o pedido <code>{ $reference }</code>, e o acesso foi retirado. Lembre-se de devolver { $amount } ao assinante você mesmo.
refund-not-yours = Só o dono do canal pode reembolsar este pagamento.
refund-already = Este pagamento já foi reembolsado.
refund-not-refundable = Este pagamento não pode ser reembolsado: ele não pagou o pedido.
refund-failed = O Telegram não aceitou o reembolso, então nada mudou. Tente de novo mais tarde.

## Owner's free trial setting in /mychannels (catalog/promo.ts)
pr-trial-settings-button = 🎁 Teste grátis: { $current }
pr-trial-off = desativado
pr-ask-trial-days = 🎁 Teste grátis do <b>{ $title }</b> — agora: { $current }. Envie quantos dias grátis um novo assinante pode usar, uma única vez (de 0 a { $max }; 0 desativa). /cancel para sair.
pr-bad-trial-days = ⚠️ Envie um número inteiro de dias de 0 a { $max }.
pr-trial-days-saved = ✅ Teste grátis: { $current }.

## Mensagens do dono para assinantes (/broadcast no bot e a mensagem de progresso que o notifier edita)
bc-panel-button = 📣 Mensagem aos assinantes
bc-command = Escrever para seus assinantes
bc-pick-channel = 📣 Para os assinantes de qual canal você quer escrever?
bc-no-channels = Você ainda não tem canais. Adicione um com /newchannel e depois poderá escrever aqui para os assinantes dele.
bc-compose =
    📣 <b>Mensagem aos assinantes — { $title }</b>

    Envie a mensagem: texto (até { $max } caracteres) ou uma foto com legenda (até { $maxCaption }). Os assinantes vão recebê-la de mim, com o nome do canal, exatamente como você escrever.

    /cancel para sair.
bc-too-long = São { $length } caracteres, e esse tipo de mensagem aceita no máximo { $max }. Encurte e envie de novo.
bc-unsupported = Posso enviar texto ou uma foto com legenda. Envie um dos dois, ou /cancel.
bc-pick-audience = Quem de <b>{ $title }</b> deve receber?
bc-audience-active = Assinantes ativos ({ $count })
bc-audience-expired = Assinaturas vencidas ({ $count })
bc-audience-all = Todos que pagaram ({ $count })
bc-audience-name-active = assinantes ativos
bc-audience-name-expired = assinaturas vencidas
bc-audience-name-all = todos que pagaram
bc-confirm =
    👆 É exatamente assim que eles vão ver.

    <b>Enviar para { $count ->
        [one] { $count } pessoa
       *[other] { $count } pessoas
    } ({ $audience } de { $title })?</b>
bc-send-button = ✅ Enviar
bc-change-audience-button = 👥 Mudar destinatários
bc-rewrite-button = ✏️ Mudar mensagem
bc-cancel-button = ✖️ Cancelar
bc-daily-limit = ⏳ <b>{ $title }</b> já enviou { $limit ->
        [one] { $limit } mensagem em massa
       *[other] { $limit } mensagens em massa
    } nas últimas 24 horas, o máximo permitido. Tente mais tarde.
bc-no-recipients = No momento não há ninguém nesse grupo. Escolha outro.
bc-expired = Essa mensagem ficou inacabada por tempo demais e expirou. Comece de novo com /broadcast.
bc-draft-cancelled = Envio cancelado. Nada foi enviado.
bc-no-draft-toast = Nada para enviar: comece de novo com /broadcast
bc-not-yours-toast = Esse envio não é seu
bc-stopped-toast = Envio interrompido
bc-already-over-toast = Esse envio já terminou
bc-stop-button = ✖️ Interromper o envio
bc-progress-starting = ⏳ <b>Iniciando o envio para { $title }…</b>
bc-progress-running = 📤 <b>Enviando mensagem para { $title }…</b>
bc-progress-done = ✅ <b>Envio para { $title } concluído.</b>
bc-progress-cancelled = 🛑 <b>Envio para { $title } interrompido.</b> Mais ninguém vai recebê-lo.
bc-progress =
    { $head }

    Entregues: { $sent } de { $total }
    Bloquearam o bot ou saíram do Telegram: { $blocked }
    Falharam: { $failed }

## Direct checkout (SETTLEMENT=direct): the coin choice, then one message with the QR code whose status line is edited. docs/settlement.md

b-checkout-order =
    🧾 <b>Seu pedido</b>
    Canal: <b>{ $title }</b>
    Plano: { $plan }
    Duração: { $duration }
    Valor: <b>{ $amount }</b>

    Escolha abaixo a moeda com que você vai pagar. Seu acesso começa assim que o pagamento for confirmado; eu envio o link por mensagem.
b-checkout-order-donation =
    💝 <b>Doação para { $title }</b>
    Valor: <b>{ $amount }</b>

    Escolha abaixo a moeda com que você vai pagar. Obrigado!
checkout-coin-unavailable = ⚠️ Agora não dá para pagar este valor em { $coin } (a NOWPayments recusou, muitas vezes porque fica abaixo do mínimo dessa moeda). Nada foi cobrado — escolha outra moeda.
checkout-head = 🧾 <b>{ $title }</b> · { $price }
checkout-send =
    Envie exatamente <code>{ $amount }</code> { $coin } para este endereço:
    <code>{ $address }</code>
checkout-memo = Memo / tag (obrigatório): <code>{ $memo }</code>
checkout-expires = Pague até { $expires }, em uma única transferência do valor exato.
checkout-status-waiting = ⏳ Aguardando seu pagamento.
checkout-status-confirming = 🔄 Pagamento detectado — aguardando a confirmação da rede.
checkout-status-partially-paid = ⚠️ Só parte do valor chegou. Envie o restante para o mesmo endereço antes de o pagamento expirar, ou fale com o dono do canal.
checkout-status-finished = ✅ Pagamento recebido. Obrigado!
checkout-status-expired = ⌛ Este pagamento expirou antes de o dinheiro chegar. Se ainda quiser acesso, faça um novo pedido pelo menu do canal.
checkout-status-failed = ❌ O pagamento falhou. Faça um novo pedido pelo menu do canal ou fale com o dono do canal.
checkout-status-refunded = ↩️ Este pagamento foi reembolsado.
checkout-status-needs-review = 🔎 O pagamento chegou e está sendo verificado pelo dono do canal. Eu aviso quando ele decidir.
checkout-wallet-refused = ⚠️ A NOWPayments não consegue pagar para <code>{ $wallet }</code> em { $currency }: { $reason }
    Aqui os pagamentos vão direto para a sua carteira, então envie um endereço de carteira dessa moeda.
checkout-wallet-unchecked = ⚠️ Não consegui verificar a carteira com a NOWPayments agora. Nada foi salvo — envie o endereço da carteira de novo daqui a pouco.
