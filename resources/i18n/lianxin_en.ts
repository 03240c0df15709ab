<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AccountListModel</name>
    <message>
        <location filename="../../ui/payment.py" line="182"/>
        <source>单位</source>
        <translation>Institution</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="182"/>
        <source>编码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="183"/>
        <source>剩余额度</source>
        <translation>Credit left</translation>
    </message>
</context>
<context>
    <name>AccountPaymentDialog</name>
    <message>
        <location filename="../../ui/accountant.py" line="233"/>
        <source>回款</source>
        <translation>Payment received</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="237"/>
        <source>回款：记录挂账单位的付款</source>
        <translation>Payment received: record what an institution paid</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="248"/>
        <source>金额（元），如 1280.00</source>
        <translation>Amount (yuan), e.g. 1280.00</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="250"/>
        <source>备注，如 银行回单号</source>
        <translation>Note, e.g. the bank slip number</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="255"/>
        <source>挂账单位</source>
        <translation>Institution</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="257"/>
        <source>回款金额</source>
        <translation>Amount received</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="258"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="259"/>
        <source>下一步：店长授权</source>
        <translation>Next: manager approval</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="263"/>
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="279"/>
        <source>期末欠款 ¥{amount}</source>
        <translation>Owes ¥{amount}</translation>
    </message>
</context>
<context>
    <name>AccountantScreen</name>
    <message>
        <location filename="../../ui/accountant.py" line="333"/>
        <source>会计 · 财务报表</source>
        <translation>Accounts · Period reports</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="334"/>
        <source>{work} — {store}</source>
        <translation>{work} — {store}</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="345"/>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="363"/>
        <source>日</source>
        <translation>Day</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="363"/>
        <source>周</source>
        <translation>Week</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="363"/>
        <source>月</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="364"/>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="382"/>
        <source>上一期 PgUp</source>
        <translation>Previous period PgUp</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="383"/>
        <source>下一期 PgDn</source>
        <translation>Next period PgDn</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="402"/>
        <source>自定义：先点开始日期，再点结束日期</source>
        <translation>Custom: click the first day, then the last day</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="424"/>
        <location filename="../../ui/accountant.py" line="462"/>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="463"/>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="472"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="474"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="476"/>
        <source>导出全部</source>
        <translation>Export all</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="476"/>
        <source>工作簿</source>
        <translation>Workbook</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="477"/>
        <source>本期全部报表导出为一个 Excel 工作簿，每张报表一页</source>
        <translation>Every report of the period in one Excel workbook, a sheet per report</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="479"/>
        <location filename="../../ui/accountant.py" line="868"/>
        <source>导出凭证</source>
        <translation>Export vouchers</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="479"/>
        <source>用友 / 金蝶</source>
        <translation>Yonyou / Kingdee</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="480"/>
        <source>本期记账凭证，按科目对照文件生成</source>
        <translation>The period&apos;s accounting vouchers, made through the account mapping file</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="484"/>
        <source>回款</source>
        <translation>Payment in</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="490"/>
        <source>日结与对账</source>
        <translation>Z / reconcile</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="492"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="527"/>
        <source>没有可以查看的报表</source>
        <translation>There are no reports you may see</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="614"/>
        <source>{period} · 正在生成…</source>
        <translation>{period} · preparing…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="638"/>
        <source>{n} 行</source>
        <translation>{n} rows</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="652"/>
        <source>本期间没有数据</source>
        <translation>Nothing in this period</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="701"/>
        <source>A4 打印预览</source>
        <translation>A4 print preview</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="702"/>
        <source>小票打印机</source>
        <translation>Receipt printer</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="705"/>
        <source>小票打印机（报表太长，请用 A4）</source>
        <translation>Receipt printer (too long: use A4)</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="713"/>
        <source>报表太长，不宜用小票打印，请用 A4 打印</source>
        <translation>This report is too long for the receipt printer: print it on A4</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="716"/>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="728"/>
        <source>正在准备打印…</source>
        <translation>Preparing to print…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="740"/>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="766"/>
        <location filename="../../ui/accountant.py" line="805"/>
        <location filename="../../ui/accountant.py" line="867"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="766"/>
        <location filename="../../ui/accountant.py" line="867"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="766"/>
        <location filename="../../ui/accountant.py" line="867"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="768"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="784"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="785"/>
        <source>正在导出 PDF：约 {pages} 页，需要一些时间（对账用 Excel 更快）…</source>
        <translation>Exporting the PDF: about {pages} pages, this takes a while (Excel is quicker for reconciling)…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="791"/>
        <source>已导出：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="804"/>
        <source>导出全部报表</source>
        <translation>Export all reports</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="820"/>
        <source>正在生成全部报表（{n} 张）…</source>
        <translation>Making all {n} reports…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="828"/>
        <source>正在写入 {path}…</source>
        <translation>Writing {path}…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="836"/>
        <source>已导出全部报表（{n} 张）：{path}</source>
        <translation>All {n} reports exported: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="850"/>
        <source>{style}格式凭证…</source>
        <translation>Vouchers for {style}…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="854"/>
        <source>科目对照：{name}</source>
        <translation>Account mapping: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="856"/>
        <source>更换科目对照文件…</source>
        <translation>Another account mapping file…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="862"/>
        <source>选择科目对照文件</source>
        <translation>Choose the account mapping file</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="863"/>
        <source>科目对照文件 (*.json)</source>
        <translation>Account mapping files (*.json)</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="893"/>
        <source>正在生成凭证…</source>
        <translation>Making the vouchers…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="907"/>
        <source>已导出凭证（{n} 张）：{path}</source>
        <translation>Vouchers exported ({n}): {path}</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="924"/>
        <source>正在读取挂账单位…</source>
        <translation>Reading the institutions…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="942"/>
        <source>{code} 回款 ¥{amount}</source>
        <translation>{code} paid ¥{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="944"/>
        <source>回款需要店长授权</source>
        <translation>A payment received needs a manager&apos;s approval</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="951"/>
        <source>本机尚未安装期间报表功能</source>
        <translation>Period reports are not available on this till</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="955"/>
        <source>正在记录回款…</source>
        <translation>Recording the payment…</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="961"/>
        <source>已记录回款：{code} ¥{amount}</source>
        <translation>Payment recorded: {code} ¥{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/accountant.py" line="970"/>
        <source>返回财务报表</source>
        <translation>Back to reports</translation>
    </message>
</context>
<context>
    <name>AddPersonDialog</name>
    <message>
        <location filename="../../ui/manager.py" line="708"/>
        <location filename="../../ui/manager.py" line="711"/>
        <source>添加人员</source>
        <translation>Add a person</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="717"/>
        <source>字母、数字、下划线，如 cashier2</source>
        <translation>letters, digits, _ e.g. cashier2</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="721"/>
        <location filename="../../ui/manager.py" line="732"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="726"/>
        <source>4–8 位数字</source>
        <translation>4–8 digits</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="727"/>
        <source>再输入一次</source>
        <translation>type it again</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="732"/>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="733"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="733"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="734"/>
        <source>确认密码</source>
        <translation>PIN again</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="740"/>
        <source>添加 Enter</source>
        <translation>Add Enter</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="742"/>
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="775"/>
        <source>两次输入的密码不一致</source>
        <translation>The two PINs differ</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../ui/approval.py" line="43"/>
        <location filename="../../ui/approval.py" line="47"/>
        <source>店长授权</source>
        <translation>Manager approval</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="52"/>
        <source>内容：{detail}</source>
        <translation>For: {detail}</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="58"/>
        <source>正在读取店长名单…</source>
        <translation>Reading the managers…</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="63"/>
        <source>店长密码</source>
        <translation>Manager&apos;s PIN</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="69"/>
        <source>授权 Enter</source>
        <translation>Approve Enter</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="73"/>
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="85"/>
        <source>授权人（↑↓ 选择）</source>
        <translation>Approved by (↑↓ to choose)</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="87"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="116"/>
        <source>没有可以授权的店长</source>
        <translation>No one here may approve this</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="130"/>
        <source>请选择授权人</source>
        <translation>Please choose who approves</translation>
    </message>
    <message>
        <location filename="../../ui/approval.py" line="134"/>
        <source>请输入密码</source>
        <translation>Please enter the PIN</translation>
    </message>
</context>
<context>
    <name>BatchReportPage</name>
    <message>
        <location filename="../../ui/stock.py" line="411"/>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="411"/>
        <source>到货日期</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="411"/>
        <location filename="../../ui/stock.py" line="419"/>
        <source>产地</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="411"/>
        <source>进货成本</source>
        <translation>Cost received</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="412"/>
        <source>已售</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="412"/>
        <location filename="../../ui/stock.py" line="419"/>
        <source>销售额</source>
        <translation>Revenue</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="412"/>
        <source>销售成本</source>
        <translation>Cost of sales</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="412"/>
        <location filename="../../ui/stock.py" line="420"/>
        <source>毛利</source>
        <translation>Margin</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="412"/>
        <location filename="../../ui/stock.py" line="420"/>
        <source>毛利率</source>
        <translation>Margin %</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="413"/>
        <source>报损</source>
        <translation>Written off</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="413"/>
        <source>库存</source>
        <translation>On hand</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="413"/>
        <source>售罄天数</source>
        <translation>Days to sell out</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="416"/>
        <source>按产地</source>
        <translation>By origin</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="419"/>
        <source>批号数</source>
        <translation>Lots</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="419"/>
        <source>成本</source>
        <translation>Cost</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="422"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="446"/>
        <source>（未填产地）</source>
        <translation>(no origin)</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="454"/>
        <source>还没有收过货的批次</source>
        <translation>No batch has been received yet</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="456"/>
        <source>{n} 个批次，销售额 {revenue}，毛利 {margin}</source>
        <translation>{n} batches, revenue {revenue}, margin {margin}</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="460"/>
        <source>{n} 天</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="460"/>
        <source>未售完</source>
        <translation>not sold out</translation>
    </message>
</context>
<context>
    <name>CartTableModel</name>
    <message>
        <location filename="../../ui/cart_model.py" line="35"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="35"/>
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="36"/>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="36"/>
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="37"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="37"/>
        <source>优惠</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="55"/>
        <source>原价 {price}</source>
        <translation>was {price}</translation>
    </message>
    <message>
        <location filename="../../ui/cart_model.py" line="149"/>
        <source>称重条码 {amount}</source>
        <translation>scale label {amount}</translation>
    </message>
</context>
<context>
    <name>CashCountEditor</name>
    <message>
        <location filename="../../ui/cash_count.py" line="70"/>
        <source>面额</source>
        <translation>Note/coin</translation>
    </message>
    <message>
        <location filename="../../ui/cash_count.py" line="70"/>
        <source>张/枚</source>
        <translation>Pieces</translation>
    </message>
    <message>
        <location filename="../../ui/cash_count.py" line="70"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../ui/cash_count.py" line="91"/>
        <source>合计</source>
        <translation>Total</translation>
    </message>
</context>
<context>
    <name>CashMoveDialog</name>
    <message>
        <location filename="../../ui/shift.py" line="268"/>
        <source>存入备用金</source>
        <translation>Cash in (float)</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="268"/>
        <source>取出现金</source>
        <translation>Cash out</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="279"/>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="284"/>
        <location filename="../../ui/shift.py" line="313"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="286"/>
        <source>补充零钱</source>
        <translation>More change</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="286"/>
        <source>备用金补充</source>
        <translation>Float top-up</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="287"/>
        <source>存银行</source>
        <translation>To the bank</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="287"/>
        <source>大额现金上交</source>
        <translation>Large notes handed in</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="287"/>
        <source>换零钱</source>
        <translation>Change exchange</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="296"/>
        <source>收银员存取现金需店长授权；取出不能超过钱箱现金。</source>
        <translation>A cashier needs a manager&apos;s PIN; no more out than the drawer holds.</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="297"/>
        <source>收银员存取现金需店长授权。</source>
        <translation>A cashier needs a manager&apos;s PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="302"/>
        <source>确定 Enter</source>
        <translation>OK Enter</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="304"/>
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="311"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="352"/>
        <source>金额必须大于零</source>
        <translation>The amount must be more than zero</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="367"/>
        <source>请填写原因</source>
        <translation>Give a reason</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="402"/>
        <source>未获店长授权，操作已取消</source>
        <translation>Not approved by a manager; cancelled</translation>
    </message>
</context>
<context>
    <name>CategorySettingsPanel</name>
    <message>
        <location filename="../../ui/stock_settings.py" line="56"/>
        <source>按类别设置：临期天数，收货时要求的合格证和检疫证明</source>
        <translation>Per category: near-expiry days, and the certificates receiving asks for</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="59"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="59"/>
        <location filename="../../ui/stock_settings.py" line="84"/>
        <source>临期天数</source>
        <translation>Near-expiry days</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="59"/>
        <location filename="../../ui/stock_settings.py" line="69"/>
        <source>需合格证</source>
        <translation>Needs certificate</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="59"/>
        <location filename="../../ui/stock_settings.py" line="70"/>
        <source>需检疫证明</source>
        <translation>Needs quarantine cert.</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="60"/>
        <source>设置</source>
        <translation>Setting</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="63"/>
        <location filename="../../ui/stock_settings.py" line="135"/>
        <source>选择上面的类别</source>
        <translation>Choose a category above</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="66"/>
        <source>天数</source>
        <translation>Days</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="72"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="76"/>
        <source>提醒收银员</source>
        <translation>Warn the cashier</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="77"/>
        <source>拒绝销售</source>
        <translation>Refuse the sale</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="90"/>
        <source>扫到已过期的商品时：</source>
        <translation>When an expired item is scanned:</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="115"/>
        <source>要</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="115"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="116"/>
        <source>{n} 天</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="118"/>
        <source>已设置</source>
        <translation>Set</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="118"/>
        <source>默认</source>
        <translation>Default</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="137"/>
        <source>类别：{name}</source>
        <translation>Category: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="150"/>
        <source>没有改动</source>
        <translation>Nothing changed</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="152"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="156"/>
        <source>已保存：{name} 临期 {n} 天</source>
        <translation>Saved: {name}, near expiry {n} days</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="168"/>
        <source>已保存：扫到过期商品时提醒收银员</source>
        <translation>Saved: the cashier is warned when an expired item is scanned</translation>
    </message>
    <message>
        <location filename="../../ui/stock_settings.py" line="169"/>
        <source>已保存：过期商品拒绝销售</source>
        <translation>Saved: expired items are refused at the till</translation>
    </message>
</context>
<context>
    <name>CheckoutWindow</name>
    <message>
        <location filename="../../ui/checkout_layout.py" line="59"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="70"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="71"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="72"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="104"/>
        <source>收银机 {terminal}</source>
        <translation>Till {terminal}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="126"/>
        <source>条码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="242"/>
        <source>上一单小票</source>
        <translation>Last receipt</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="244"/>
        <source>暂无</source>
        <translation>None yet</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="250"/>
        <source>件数 {n}</source>
        <translation>Items {n}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="256"/>
        <source>折扣 {off}</source>
        <translation>Discount {off}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="448"/>
        <source>已加入：{name} × {qty}</source>
        <translation>Added: {name} × {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="451"/>
        <source>注意：{name} {warning}</source>
        <translation>Note: {name}: {warning}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="514"/>
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="525"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="526"/>
        <location filename="../../ui/checkout.py" line="666"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="325"/>
        <source>请先选择一行商品（↑↓ 键或点选）</source>
        <translation>Select a line first (↑↓ keys or tap)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="58"/>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="60"/>
        <location filename="../../ui/screenshots_all.py" line="211"/>
        <source>折扣</source>
        <translation>Discount</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="125"/>
        <location filename="../../ui/checkout_layout.py" line="61"/>
        <location filename="../../ui/screenshots_all.py" line="211"/>
        <source>整单折扣</source>
        <translation>Sale discount</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="157"/>
        <location filename="../../ui/checkout_layout.py" line="62"/>
        <source>改价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="63"/>
        <source>挂单</source>
        <translation>Hold</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="297"/>
        <location filename="../../ui/checkout_layout.py" line="64"/>
        <source>取单</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="65"/>
        <source>退货</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="66"/>
        <source>重印</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="67"/>
        <source>收款</source>
        <translation>Pay</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="69"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="73"/>
        <source>店长管理</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="74"/>
        <source>班次/钱箱</source>
        <translation>Shift/drawer</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="75"/>
        <source>锁屏</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="76"/>
        <source>会员</source>
        <translation>Member</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="77"/>
        <source>练习</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="105"/>
        <source>{role} {name}</source>
        <translation>{role} {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="121"/>
        <source>扫描或输入条码 / PLU / 货号 / 拼音</source>
        <translation>Scan or type a barcode / PLU / SKU / pinyin</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="211"/>
        <source>今天生日</source>
        <translation>Birthday today</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="213"/>
        <source>移除会员</source>
        <translation>Remove member</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="217"/>
        <location filename="../../ui/checkout_members.py" line="132"/>
        <source>积分抵扣</source>
        <translation>Use points</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_layout.py" line="305"/>
        <source>练习模式 — 不计入营业额</source>
        <translation>TRAINING MODE — not counted in takings</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="253"/>
        <source>合计 {gross}</source>
        <translation>Subtotal {gross}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="258"/>
        <source>（整单{what}）</source>
        <translation> (sale {what})</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="261"/>
        <source>改价 {off}</source>
        <translation>Price cut {off}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="263"/>
        <source>赠送 {off}</source>
        <translation>Free gift {off}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="267"/>
        <source>抹零 {adj}</source>
        <translation>Rounding {adj}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="269"/>
        <source>应收 {total}</source>
        <translation>Due {total}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="286"/>
        <source>找零 {change}</source>
        <translation>Change {change}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="297"/>
        <source>取单（{n}）</source>
        <translation>Recall ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="320"/>
        <source>请扫码或输入条码 / PLU，回车加入；F3 搜索商品，F12 收款（F1 现金）</source>
        <translation>Scan or type a barcode / PLU and press Enter; F3 search, F12 pay (F1 cash)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="322"/>
        <source>这是付款码：请先扫商品，再按 F12 收款</source>
        <translation>That is a payment code: scan the goods first, then F12 to pay</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="445"/>
        <source>已加入：{name} {qty}  {amount}（称重码）</source>
        <translation>Added: {name} {qty}  {amount} (scale label)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="323"/>
        <source>未获店长授权，操作已取消</source>
        <translation>Not approved by a manager; nothing was changed</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="43"/>
        <source>已修改数量：{name} × {qty}</source>
        <translation>Quantity changed: {name} × {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="93"/>
        <source>已取消折扣：{name}</source>
        <translation>Discount removed: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="94"/>
        <source>已打折：{name} {what}，优惠 {off}</source>
        <translation>Discounted: {name} {what}, {off} off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="98"/>
        <source>单品折扣</source>
        <translation>Line discount</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="99"/>
        <source>{name}  金额 {gross}</source>
        <translation>{name}  amount {gross}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="100"/>
        <source>输入 10%、9折 或金额 5（减 5 元）；0 取消折扣。超过 10% 需店长授权</source>
        <translation>Type 10%, 9折 (pay 90%) or an amount like 5 (5 yuan off); 0 removes it. Over 10% needs a manager</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="102"/>
        <location filename="../../ui/checkout_cart.py" line="129"/>
        <source>9.5折</source>
        <translation>5% off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="102"/>
        <location filename="../../ui/checkout_cart.py" line="129"/>
        <source>9折</source>
        <translation>10% off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="102"/>
        <location filename="../../ui/checkout_cart.py" line="129"/>
        <source>8折</source>
        <translation>20% off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="103"/>
        <location filename="../../ui/checkout_cart.py" line="130"/>
        <source>取消折扣</source>
        <translation>No discount</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="119"/>
        <source>已取消整单折扣</source>
        <translation>Sale discount removed</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="121"/>
        <source>整单{what}，整单优惠 {off}</source>
        <translation>Sale {what}, {off} off the sale</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="126"/>
        <source>本单 {n} 件  金额 {amount}</source>
        <translation>This sale: {n} items, amount {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="127"/>
        <location filename="../../ui/screenshots_all.py" line="212"/>
        <source>输入 10%、9折 或金额 5（减 5 元）；0 取消。超过 10% 需店长授权</source>
        <translation>Type 10%, 9折 (pay 90%) or an amount like 5 (5 yuan off); 0 removes it. Over 10% needs a manager</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="128"/>
        <source>整单 {what}</source>
        <translation>whole sale {what}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="152"/>
        <source>已改价：{name} {old} → {new}</source>
        <translation>Price changed: {name} {old} → {new}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="155"/>
        <source>（每千克）</source>
        <translation> (per kg)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="158"/>
        <source>{name}  现价 {price}{unit}</source>
        <translation>{name}  now {price}{unit}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_cart.py" line="160"/>
        <source>输入新单价（元）；改价需店长授权并记录</source>
        <translation>Type the new unit price in yuan; a manager approves and it is journaled</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="626"/>
        <source>已删除：{name}</source>
        <translation>Removed: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="635"/>
        <source>确定清空本单全部商品？</source>
        <translation>Remove every item from this sale?</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="636"/>
        <source>本单已清空</source>
        <translation>The sale was cleared</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="645"/>
        <source>清空本单</source>
        <translation>clear the sale</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="681"/>
        <source>已挂单，挂单号 {no}（按 F9 取单）</source>
        <translation>Sale held as number {no} (F9 to recall)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="686"/>
        <location filename="../../ui/checkout.py" line="721"/>
        <source>正在挂单…</source>
        <translation>Holding the sale…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="701"/>
        <source>已取出挂单 {no}</source>
        <translation>Held sale {no} recalled</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="706"/>
        <source>正在取单…</source>
        <translation>Recalling…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="711"/>
        <source>当前单尚未结账。先把当前单挂起，再取出挂单 {no}？</source>
        <translation>This sale is not paid yet. Hold it first, then recall held sale {no}?</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="712"/>
        <source>未取单：当前单保留</source>
        <translation>Nothing recalled: the current sale stays</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="718"/>
        <source>当前单已挂起，挂单号 {no}</source>
        <translation>The current sale is held as number {no}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="327"/>
        <source>请先结账或清空本单，再切换练习模式</source>
        <translation>Finish or clear the sale before switching training mode</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="731"/>
        <source>练习模式</source>
        <translation>training mode</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="741"/>
        <source>正在切换练习模式…</source>
        <translation>Switching training mode…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="749"/>
        <source>已进入练习模式：交易单号为 T 系列，不计入营业额</source>
        <translation>Training mode on: sales are numbered T… and not counted</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="751"/>
        <source>已退出练习模式</source>
        <translation>Training mode off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="321"/>
        <source>本单没有商品，请先扫码</source>
        <translation>The sale has no items; scan something first</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="662"/>
        <source>本单尚未结账（{n} 件，{total}）。退出登录前：</source>
        <translation>This sale is not paid yet (quantity {n}, {total}). Before logging out:</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="664"/>
        <source>挂单后退出</source>
        <translation>Hold sale and log out</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="665"/>
        <source>作废后退出</source>
        <translation>Void sale and log out</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="805"/>
        <source>正在保存交易…</source>
        <translation>Saving the sale…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="816"/>
        <source>交易完成  单号 {no}  实收 {paid}  找零 {change}</source>
        <translation>Sale complete  No. {no}  Paid {paid}  Change {change}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="855"/>
        <source>正在打印小票…</source>
        <translation>Printing the receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="59"/>
        <source>重印小票</source>
        <translation>Reprint a receipt</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="59"/>
        <source>默认重印上一单；也可扫描或输入小票号</source>
        <translation>The last receipt, or scan or type another receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="60"/>
        <source>小票号如 MX01-20261122-0001</source>
        <translation>A receipt number like MX01-20261122-0001</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="71"/>
        <source>已重印小票 {no}</source>
        <translation>Receipt {no} reprinted</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="73"/>
        <source>正在重印…</source>
        <translation>Reprinting…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="90"/>
        <source>退货完成  退货单 {no}  退款 {total}</source>
        <translation>Return done  return {no}  refund {total}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="108"/>
        <source>未开班</source>
        <translation>No shift</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="110"/>
        <source>班次 {no}</source>
        <translation>Shift {no}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="124"/>
        <source>已开班：班次 {no}，备用金 {float}</source>
        <translation>Shift {no} opened, float {float}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="161"/>
        <source>已存入备用金 {amount}（{reason}）</source>
        <translation>Cash in {amount} ({reason})</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="162"/>
        <source>已取出现金 {amount}（{reason}）</source>
        <translation>Cash out {amount} ({reason})</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="172"/>
        <source>正在生成 X 报表…</source>
        <translation>Making the X report…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="177"/>
        <source>班次 {no}  备用金 {float}  应有现金 {expected}</source>
        <translation>Shift {no}  float {float}  expected cash {expected}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="179"/>
        <source>X 报表</source>
        <translation>X report</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="181"/>
        <source>X 报表不结账</source>
        <translation>An X report closes nothing</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="326"/>
        <source>请先结账或清空本单，再交班</source>
        <translation>Finish or clear the sale before closing the shift</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="328"/>
        <source>请先退出练习模式，再交班</source>
        <translation>Leave training mode before closing the shift</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="217"/>
        <source>收银台开钱箱</source>
        <translation>open drawer at the counter</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="218"/>
        <source>正在打开钱箱…</source>
        <translation>Opening the cash drawer…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="226"/>
        <source>开钱箱</source>
        <translation>Open drawer</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="291"/>
        <source>扫码枪：已连接</source>
        <translation>Scanner: connected</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_panels.py" line="293"/>
        <source>扫码枪：未连接</source>
        <translation>Scanner: not connected</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="923"/>
        <source>已解锁</source>
        <translation>Unlocked</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="925"/>
        <source>已由 {name} 解锁</source>
        <translation>Unlocked by {name}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="324"/>
        <source>正在保存，请稍候…</source>
        <translation>Saving, please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/checkout.py" line="849"/>
        <source>单号 {no}</source>
        <translation>Receipt {no}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="70"/>
        <location filename="../../ui/checkout_members.py" line="80"/>
        <source>请稍候再扫会员码</source>
        <translation>Please wait, then scan the member card again</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="76"/>
        <source>没有这个会员码的会员</source>
        <translation>No member has this member card</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="90"/>
        <source>会员：{phone} {name}（{tier}），积分 {points}</source>
        <translation>Member: {phone} {name} ({tier}), {points} points</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="96"/>
        <source>已移除会员 {phone}</source>
        <translation>Member {phone} removed from the sale</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="126"/>
        <source>已使用 {points} 积分，抵扣 {fen}</source>
        <translation>{points} points used: {fen} off</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="129"/>
        <source>本单不使用积分</source>
        <translation>No points used on this sale</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="133"/>
        <source>会员积分 {points}，本单最多可用 {most} 积分（抵 {fen}）</source>
        <translation>The member has {points} points; this sale may take at most {most} ({fen} off)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="135"/>
        <source>输入要使用的积分，直接 Enter 用到上限；0 不使用</source>
        <translation>Type the points to use, or just Enter for the most allowed; 0 uses none</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="149"/>
        <source>会员 {phone}  {name}  {tier}  积分 {points}</source>
        <translation>Member {phone}  {name}  {tier}  {points} points</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="153"/>
        <source>（本单用 {n}）</source>
        <translation> ({n} used on this sale)</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="172"/>
        <source>促销 {off}</source>
        <translation>Promotions {off}</translation>
    </message>
    <message>
        <location filename="../../ui/checkout_members.py" line="175"/>
        <source>积分抵扣 {off}</source>
        <translation>Points {off}</translation>
    </message>
</context>
<context>
    <name>CloseShiftDialog</name>
    <message>
        <location filename="../../ui/shift.py" line="580"/>
        <source>挂单交班后仍保留，可由下一班取单。仍要交班？</source>
        <translation>Held sales stay after the handover; the next shift can recall them. Hand over anyway?</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="436"/>
        <source>交班</source>
        <translation>Close shift</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="449"/>
        <source>交班 · 盲点现金</source>
        <translation>Close shift · blind cash count</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="451"/>
        <source>请清点钱箱，逐项输入张数/枚数（回车到下一行）。提交前不显示应有金额。</source>
        <translation>Count the drawer and type the pieces of each note and coin (Enter for the next row). What the till expects is shown only after you submit.</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="457"/>
        <source>其他付款方式（可选，按结算单填写）</source>
        <translation>Other tenders (optional, from the settlement slip)</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="479"/>
        <location filename="../../ui/shift.py" line="521"/>
        <location filename="../../ui/shift.py" line="587"/>
        <source>提交点钞 Enter</source>
        <translation>Submit count Enter</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="481"/>
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="556"/>
        <source>实点现金 {total}。提交后不能修改，再按 Enter 确认交班。</source>
        <translation>Counted {total}. It cannot be changed afterwards: press Enter again to close the shift.</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="558"/>
        <source>确认交班 Enter</source>
        <translation>Close shift Enter</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="600"/>
        <source>交班结果</source>
        <translation>Shift closed</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="605"/>
        <source>短款 {amount}</source>
        <translation>Short {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="607"/>
        <source>长款 +{amount}</source>
        <translation>Over +{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="608"/>
        <source>无差额 {amount}</source>
        <translation>No variance {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="612"/>
        <source>交班结果 · 班次 {no}</source>
        <translation>Shift {no} closed</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="621"/>
        <source>备用金</source>
        <translation>Float</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="621"/>
        <source>应有现金</source>
        <translation>Expected cash</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="622"/>
        <source>实点现金</source>
        <translation>Counted cash</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="622"/>
        <source>现金差额</source>
        <translation>Cash variance</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="635"/>
        <source>其他付款方式</source>
        <translation>Other tenders</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="643"/>
        <source>应收 {expected}（未申报）</source>
        <translation>expected {expected} (not declared)</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="647"/>
        <source>应收 {expected} 申报 {declared} 差额 {variance}</source>
        <translation>expected {expected} declared {declared} variance {variance}</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="660"/>
        <source>班次已关闭。按“完成”回到登录，由下一位收银员开班。</source>
        <translation>The shift is closed. Press Done to return to the login; the next cashier opens a shift.</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="665"/>
        <source>完成 Enter</source>
        <translation>Done Enter</translation>
    </message>
</context>
<context>
    <name>CountPage</name>
    <message>
        <location filename="../../ui/stock_adjust.py" line="287"/>
        <source>扫码盘点：扫商品，输入实盘数量（称重商品为 kg），回车</source>
        <translation>Count by scanner: scan a product, type the quantity on the shelf (kg for weighed goods), Enter</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="292"/>
        <source>商品条码或编码</source>
        <translation>Barcode or SKU</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="296"/>
        <source>实盘数量</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="300"/>
        <source>商品编码</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="300"/>
        <location filename="../../ui/stock_adjust.py" line="327"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="300"/>
        <location filename="../../ui/stock_adjust.py" line="327"/>
        <source>实盘</source>
        <translation>Counted</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="302"/>
        <source>删除所选</source>
        <translation>Delete selected</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="304"/>
        <source>生成盘点单</source>
        <translation>Make count sheet</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="306"/>
        <source>载入盘点文件…</source>
        <translation>Load count file…</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="322"/>
        <source>待审核的盘点单</source>
        <translation>Count sheets waiting for approval</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="327"/>
        <source>账面</source>
        <translation>Books</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="327"/>
        <source>差异</source>
        <translation>Variance</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="328"/>
        <source>差异金额</source>
        <translation>Variance at cost</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="333"/>
        <source>审核调整</source>
        <translation>Approve adjustment</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="364"/>
        <source>件</source>
        <translation>units</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="365"/>
        <source>{name}（{sku}）：输入实盘数量（{unit}）</source>
        <translation>{name} ({sku}): type the counted quantity ({unit})</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="384"/>
        <source>{name} 改为 {qty}</source>
        <translation>{name} changed to {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="385"/>
        <source>{name} 实盘 {qty}</source>
        <translation>{name} counted {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="397"/>
        <source>请先选择要删除的行</source>
        <translation>Select the line to delete first</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="408"/>
        <source>已扫 {n} 种商品还没有生成盘点单，确定离开？</source>
        <translation>{n} counted product(s) are not on a count sheet yet. Leave anyway?</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="419"/>
        <source>载入盘点文件</source>
        <translation>Load count file</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="420"/>
        <source>盘点表 (*.csv *.xlsx);;所有文件 (*)</source>
        <translation>Count sheets (*.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="433"/>
        <source>正在生成盘点单…</source>
        <translation>Making the count sheet…</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="441"/>
        <source>盘点单 {no} 已生成，请核对差异后审核</source>
        <translation>Count sheet {no} saved: check the variances, then approve</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="461"/>
        <source>盘点单 {no}  {at}  {by}  {n} 种商品</source>
        <translation>Count sheet {no}  {at}  {by}  {n} products</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="481"/>
        <source>没有待审核的盘点单</source>
        <translation>No count sheet is waiting for approval</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="484"/>
        <source>差异合计（按成本）{total}；审核后按差异调整库存</source>
        <translation>Total variance at cost {total}; approving adjusts stock by the variances</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="493"/>
        <source>审核盘点单 {no}：差异合计 {total}，按差异调整库存？</source>
        <translation>Approve count sheet {no}: total variance {total}, adjust stock by the variances?</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="502"/>
        <source>盘点调整需要店长授权</source>
        <translation>A stock count adjustment needs a manager&apos;s approval</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="503"/>
        <source>盘点单 {no}，差异 {total}</source>
        <translation>count sheet {no}, variance {total}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="507"/>
        <source>盘点单 {no} 已审核，库存已调整（差异 {total}）</source>
        <translation>Count sheet {no} approved, stock adjusted (variance {total})</translation>
    </message>
</context>
<context>
    <name>DayClosePage</name>
    <message>
        <location filename="../../ui/manager.py" line="180"/>
        <source>重印</source>
        <translation>Reprint</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="248"/>
        <source>请先选择一个已日结的营业日</source>
        <translation>Pick a closed business day first</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="169"/>
        <source>营业日</source>
        <translation>Business day</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="170"/>
        <source>累计</source>
        <translation>Grand total</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="211"/>
        <source>没有待日结的营业日（{last} 已日结）</source>
        <translation>No business day to close ({last} is closed)</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="275"/>
        <source>正在日结 {day}…</source>
        <translation>Closing {day}…</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="178"/>
        <source>查看</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="301"/>
        <source>未日结：请先处理挂单</source>
        <translation>Not closed: deal with the held sales first</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="169"/>
        <source>日结时间</source>
        <translation>Closed at</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="169"/>
        <source>日结人</source>
        <translation>Closed by</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="213"/>
        <source>待日结：营业日 {day}（未日结的最早一天）</source>
        <translation>To close: business day {day} (the oldest day without a Z)</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="182"/>
        <source>导出PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="165"/>
        <source>历史日结</source>
        <translation>Past Z reports</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="170"/>
        <source>净销售额</source>
        <translation>Net sales</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="298"/>
        <source>仍要日结 {day}？</source>
        <translation>Close {day} (Z) anyway?</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="257"/>
        <source>{day} 的 Z 报表</source>
        <translation>Z report of {day}</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="155"/>
        <source>营业日 …</source>
        <translation>Business day …</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="158"/>
        <source>日结前请先交班。日结后当天的数据不能再更改，之后的交易计入下一营业日。</source>
        <translation>Close the shift first. After the Z the day&apos;s figures cannot change; later sales go to the next business day.</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="161"/>
        <source>日结（Z） Enter</source>
        <translation>Close day (Z) Enter</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="215"/>
        <source>营业日 {day}</source>
        <translation>Business day {day}</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="267"/>
        <source>确定对营业日 {day} 日结？日结后当天的交易不能再更改。</source>
        <translation>Close business day {day} (Z)? Its sales cannot be changed afterwards.</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="268"/>
        <source>未日结</source>
        <translation>Not closed</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="286"/>
        <source>{day} 已日结，净销售额 {net}</source>
        <translation>{day} closed, net sales {net}</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../ui/wizard.py" line="122"/>
        <source>设置向导</source>
        <translation>Set-up wizard</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="132"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="135"/>
        <source>上一步 Esc</source>
        <translation>Back Esc</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="138"/>
        <location filename="../../ui/wizard.py" line="398"/>
        <source>下一步 Enter</source>
        <translation>Next Enter</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="160"/>
        <source>欢迎使用连心收银</source>
        <translation>Welcome to LianXin POS</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="160"/>
        <source>门店与收银机</source>
        <translation>Store and terminal</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="160"/>
        <source>小票打印机</source>
        <translation>Receipt printer</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="160"/>
        <source>电子秤和客显</source>
        <translation>Scale and customer display</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="161"/>
        <source>总部</source>
        <translation>Head office</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="161"/>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="161"/>
        <source>完成</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="167"/>
        <source>语言 Language</source>
        <translation>语言 Language</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="180"/>
        <source>这台收银机还没有设置。设置好门店、打印机和第一位管理员后即可开始收银，不需要命令行。</source>
        <translation>This till is not set up yet. Set up the store, the printer and the first administrator, then start selling; no command line needed.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="182"/>
        <source>设置我的门店 →</source>
        <translation>Set up my store →</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="187"/>
        <source>或者先试用演示门店（示例商品和用户，收银员 cashier1 密码 1111）：</source>
        <translation>Or try a demo store first (sample goods and people; cashier cashier1, PIN 1111):</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="189"/>
        <source>茂县专柜 MX — 金平湖鲜到家（平湖）</source>
        <translation>Maoxian counter MX — Jinpinghu Fresh (Pinghu)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="190"/>
        <source>平茂连心馆 PM — 茂县凤仪店（茂县）</source>
        <translation>Pingmao Lianxin PM — Fengyi shop (Maoxian)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="210"/>
        <source>例如 MX</source>
        <translation>e.g. MX</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="211"/>
        <source>例如 金平湖鲜到家</source>
        <translation>e.g. Jinpinghu Fresh</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="212"/>
        <source>例如 茂县专柜</source>
        <translation>e.g. Maoxian counter</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="213"/>
        <source>可不填</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="214"/>
        <source>例如 MX01</source>
        <translation>e.g. MX01</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="216"/>
        <source>门店代码</source>
        <translation>Store code</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="216"/>
        <source>门店名称</source>
        <translation>Store name</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="216"/>
        <source>专柜名称</source>
        <translation>Counter name</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="217"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="217"/>
        <source>收银机编号</source>
        <translation>Terminal id</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="223"/>
        <source>收银机编号一般是门店代码加 01，同一门店的第二台收银机用 02。</source>
        <translation>The terminal id is usually the store code and 01; a second till in the same store takes 02.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="234"/>
        <source>选择小票打印机（找到的 USB、串口打印机，或网络打印机）：</source>
        <translation>Choose the receipt printer (USB and serial printers found, or a network printer):</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="240"/>
        <source>网络打印机地址</source>
        <translation>Network printer address</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="241"/>
        <source>例如 192.168.1.50:9100</source>
        <translation>e.g. 192.168.1.50:9100</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="246"/>
        <source>纸宽</source>
        <translation>Paper width</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="249"/>
        <source>{mm} 毫米</source>
        <translation>{mm} mm</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="257"/>
        <source>重新查找</source>
        <translation>Look again</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="260"/>
        <source>打印测试页</source>
        <translation>Print test page</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="276"/>
        <source>8217 协议（问答式，常见）</source>
        <translation>8217 (asks for each weight; most common)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="276"/>
        <source>连续发送</source>
        <translation>Continuous</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="279"/>
        <source>LED 数码管（8 位）</source>
        <translation>LED, 8 digits</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="279"/>
        <source>两行字符屏（VFD）</source>
        <translation>Two-line text (VFD)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="284"/>
        <source>电子秤串口</source>
        <translation>Scale port</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="286"/>
        <source>电子秤协议</source>
        <translation>Scale protocol</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="288"/>
        <source>客显串口</source>
        <translation>Display port</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="290"/>
        <source>客显类型</source>
        <translation>Display type</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="292"/>
        <source>测试电子秤和客显</source>
        <translation>Test scale and display</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="295"/>
        <source>没有电子秤或客显就选“无”；以后可以在 店长管理 › 硬件设置 里更改。</source>
        <translation>Without a scale or customer display choose &quot;None&quot;; you can change this later under Manager › Hardware settings.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="305"/>
        <source>连接总部后，销售会自动上传，商品和价格由总部下发。总部的“收银机”页面给出登记码或登记二维码（可直接扫进下面任一栏）。</source>
        <translation>Connected to head office, the till uploads its sales and receives goods and prices. Head office&apos;s Counters page gives an enrolment code or QR code (scan it into either field below).</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="308"/>
        <source>例如 http://192.168.1.10:8080</source>
        <translation>e.g. http://192.168.1.10:8080</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="309"/>
        <source>例如 ABCD-EFGH-JKLM</source>
        <translation>e.g. ABCD-EFGH-JKLM</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="310"/>
        <source>总部地址</source>
        <translation>Head office address</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="311"/>
        <source>登记码</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="313"/>
        <source>以后再说（不连接总部）</source>
        <translation>Later (no head office now)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="319"/>
        <source>登记在按“完成”后进行；连不上总部也能先开始收银，以后在 硬件设置 › 总部同步 里登记。</source>
        <translation>Enrolment happens when you press Finish; if head office cannot be reached you can still start selling and enrol later under Hardware settings › Head-office sync.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="330"/>
        <source>例如 李建国</source>
        <translation>e.g. Li Jianguo</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="331"/>
        <source>字母或数字，例如 admin</source>
        <translation>Letters or digits, e.g. admin</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="333"/>
        <location filename="../../ui/wizard.py" line="347"/>
        <source>4–8 位数字</source>
        <translation>4 to 8 digits</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="334"/>
        <source>再输入一次</source>
        <translation>Type it again</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="338"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="339"/>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="340"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="341"/>
        <source>确认密码</source>
        <translation>PIN again</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="369"/>
        <source>重试登记</source>
        <translation>Try enrolling again</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="373"/>
        <source>导入商品表（CSV/Excel）…</source>
        <translation>Import goods (CSV/Excel)…</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="394"/>
        <source>第 {n} 步，共 {total} 步</source>
        <translation>Step {n} of {total}</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="398"/>
        <source>完成 Enter</source>
        <translation>Finish Enter</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="541"/>
        <location filename="../../ui/wizard.py" line="557"/>
        <source>正在查找…</source>
        <translation>Looking for printers…</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="552"/>
        <source>网络打印机（在下面填写地址）</source>
        <translation>Network printer (type its address below)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="553"/>
        <source>无打印机（小票保存为文件）</source>
        <translation>No printer (receipts are kept as files)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="559"/>
        <source>找到 {n} 台打印机</source>
        <translation>Found {n} printer(s)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="561"/>
        <source>没有找到 USB 或串口打印机：可填写网络打印机地址，或选“无打印机”。</source>
        <translation>No USB or serial printer found: type a network printer&apos;s address, or choose &quot;No printer&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="566"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="604"/>
        <source>正在打印测试页…</source>
        <translation>Printing the test page…</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="621"/>
        <source>没有选择电子秤或客显</source>
        <translation>No scale or customer display chosen</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="625"/>
        <source>正在测试…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="358"/>
        <source>请核对。按“完成”后建立收银数据库、保存设置，然后打开登录。</source>
        <translation>Please check. Finish creates the till&apos;s database, saves the settings and opens the login.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="342"/>
        <source>管理员可以添加收银员和店长、更改设置，但不收银；请记住这个密码。</source>
        <translation>The administrator adds cashiers and managers and changes settings, but does not sell. Remember this PIN.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="344"/>
        <source>收银员姓名（可不填）</source>
        <translation>Cashier&apos;s name (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="345"/>
        <source>例如 cashier1</source>
        <translation>e.g. cashier1</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="350"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="351"/>
        <source>收银员登录名</source>
        <translation>Cashier&apos;s login</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="352"/>
        <source>收银员密码</source>
        <translation>Cashier&apos;s PIN</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="678"/>
        <source>正在建立收银数据库…</source>
        <translation>Creating the till&apos;s database…</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="692"/>
        <source>打开登录 Enter</source>
        <translation>Open login Enter</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="694"/>
        <source>收银机已设置好：门店 {store}，收银机 {terminal}。</source>
        <translation>The till is set up: store {store}, terminal {terminal}.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="697"/>
        <source>没有连接总部：可以先导入商品表，也可以以后在命令行用 catalog import 导入。</source>
        <translation> No head office: import a goods list now, or later with the catalog import command.</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="707"/>
        <source>未能完成设置（没有保存任何内容）：{reason}</source>
        <translation>Set-up did not finish (nothing was saved): {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="714"/>
        <source>选择商品表</source>
        <translation>Choose the goods list</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="715"/>
        <source>商品表 (*.csv *.xlsx);;所有文件 (*)</source>
        <translation>Goods lists (*.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="728"/>
        <source>正在导入商品…</source>
        <translation>Importing goods…</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="750"/>
        <source>正在登记到总部 {url}…</source>
        <translation>Enrolling with head office {url}…</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="756"/>
        <source>已登记到总部：收银机 {terminal}</source>
        <translation>Enrolled with head office: terminal {terminal}</translation>
    </message>
    <message>
        <location filename="../../ui/wizard.py" line="762"/>
        <source>未能登记到总部：{reason}。可以先开始收银，以后在 硬件设置 › 总部同步 里再登记。</source>
        <translation>Could not enrol with head office: {reason}. You can start selling now and enrol later under Hardware settings › Head-office sync.</translation>
    </message>
</context>
<context>
    <name>HardwareSettingsDialog</name>
    <message>
        <location filename="../../ui/settings.py" line="89"/>
        <location filename="../../ui/settings.py" line="92"/>
        <source>硬件设置</source>
        <translation>Hardware settings</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="98"/>
        <location filename="../../ui/settings.py" line="134"/>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="98"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="98"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="98"/>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="112"/>
        <source>秤：—</source>
        <translation>Scale: —</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="116"/>
        <source>测试打印</source>
        <translation>Test print</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="117"/>
        <location filename="../../ui/settings.py" line="286"/>
        <source>测试钱箱</source>
        <translation>Test drawer</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="118"/>
        <source>读取秤重</source>
        <translation>Read scale</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="120"/>
        <source>测试客显</source>
        <translation>Test display</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="121"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="137"/>
        <source>本机串口</source>
        <translation>Serial ports on this machine</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="146"/>
        <source>配置文件（只读）</source>
        <translation>Config file (read-only)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="150"/>
        <source>配置文件：{path}</source>
        <translation>Config file: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="151"/>
        <source>配置文件：{path}（尚不存在，可新建）</source>
        <translation>Config file: {path} (does not exist yet, you may create it)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="163"/>
        <source>修改：在配置文件中改对应的键（如 printer = &quot;tcp://192.0.2.50:9100&quot;），然后重启收银程序。</source>
        <translation>To change: edit the key in the config file (e.g. printer = &quot;tcp://192.0.2.50:9100&quot;), then restart the till.</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="170"/>
        <source>总部同步</source>
        <translation>Head-office sync</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="172"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="180"/>
        <source>如 ABCD-EFGH-JKLM</source>
        <translation>e.g. ABCD-EFGH-JKLM</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="181"/>
        <source>登记</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="188"/>
        <source>总部地址</source>
        <translation>Head-office URL</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="190"/>
        <source>登记码</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="206"/>
        <source>返回 Esc</source>
        <translation>Back Esc</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="227"/>
        <source>正在检查设备…</source>
        <translation>Checking devices…</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="238"/>
        <source>未发现串口</source>
        <translation>No serial ports found</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="242"/>
        <source>设备状态已刷新</source>
        <translation>Device states refreshed</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="249"/>
        <source>未配置</source>
        <translation>not configured</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="272"/>
        <source>正在打印测试页…</source>
        <translation>Printing the test page…</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="277"/>
        <source>正在打开钱箱…</source>
        <translation>Opening the cash drawer…</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="294"/>
        <source>未获店长授权，操作已取消</source>
        <translation>No manager approval; cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="323"/>
        <source>秤：{reading}</source>
        <translation>Scale: {reading}</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="346"/>
        <source>已登记：{url}（收银机 {terminal}）</source>
        <translation>Enrolled: {url} (terminal {terminal})</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="349"/>
        <source>尚未登记总部：填写总部地址和登记码，按 登记</source>
        <translation>Not enrolled with head office: fill in the URL and the code, press Enrol</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="372"/>
        <source>请填写总部地址和登记码</source>
        <translation>Please fill in the head-office URL and the enrolment code</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="376"/>
        <source>正在登记…</source>
        <translation>Enrolling…</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="384"/>
        <source>登记成功：收银机 {terminal}，密钥保存在 {where}</source>
        <translation>Enrolled: terminal {terminal}, key kept in {where}</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="391"/>
        <source>登记失败：{reason}</source>
        <translation>Enrolment failed: {reason}</translation>
    </message>
</context>
<context>
    <name>HeldSalesDialog</name>
    <message>
        <location filename="../../ui/holds.py" line="97"/>
        <source>取单</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="101"/>
        <source>挂单列表</source>
        <translation>Held sales</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="107"/>
        <source>输入挂单号，或 ↑↓ 选择后 Enter</source>
        <translation>Type the hold number, or choose with ↑↓ and Enter</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="120"/>
        <source>正在读取挂单…</source>
        <translation>Reading held sales…</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="122"/>
        <source>取单 Enter</source>
        <translation>Recall Enter</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="127"/>
        <source>返回 Esc</source>
        <translation>Back Esc</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="153"/>
        <source>共 {n} 张挂单</source>
        <translation>{n} held sales</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="155"/>
        <source>没有挂单</source>
        <translation>No held sales</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="168"/>
        <source>请输入挂单号</source>
        <translation>Please type a hold number</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="174"/>
        <source>没有编号为 {no} 的挂单</source>
        <translation>There is no held sale number {no}</translation>
    </message>
</context>
<context>
    <name>HeldSalesModel</name>
    <message>
        <location filename="../../ui/holds.py" line="71"/>
        <source>{n} 行</source>
        <translation>{n} lines</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="79"/>
        <source>挂单号</source>
        <translation>Hold no.</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="79"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="80"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="80"/>
        <source>商品</source>
        <translation>Items</translation>
    </message>
    <message>
        <location filename="../../ui/holds.py" line="81"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <location filename="../../ui/lock.py" line="176"/>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="179"/>
        <source>收银员 {name} 暂时离开</source>
        <translation>Cashier {name} is away</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="182"/>
        <source>输入本人密码解锁；也可由店长解锁（↑↓ 选择）。锁定时扫码无效。</source>
        <translation>Type your PIN to unlock, or a manager&apos;s (↑↓ to choose). Scans are ignored while locked.</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="190"/>
        <source>{name}（本人）</source>
        <translation>{name} (this till)</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="194"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="231"/>
        <source>{name}（店长）</source>
        <translation>{name} (manager)</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="249"/>
        <source>已锁定：扫码无效，请先解锁</source>
        <translation>Locked: scans are ignored; unlock first</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="256"/>
        <source>请输入密码</source>
        <translation>Type the PIN</translation>
    </message>
    <message>
        <location filename="../../ui/lock.py" line="268"/>
        <source>只有 {name} 本人或店长可以解锁</source>
        <translation>Only {name} or a manager can unlock</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="57"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="60"/>
        <source>连心收银 · 登录</source>
        <translation>LianXin POS · Log in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="63"/>
        <source>收银机 {terminal}</source>
        <translation>Till {terminal}</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="68"/>
        <source>正在读取用户…</source>
        <translation>Loading users…</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="71"/>
        <source>密码（4–8 位数字）</source>
        <translation>PIN (4–8 digits)</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="77"/>
        <source>登录 Enter</source>
        <translation>Log in  Enter</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="81"/>
        <source>退出 Esc</source>
        <translation>Quit  Esc</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="92"/>
        <source>用户</source>
        <translation>User</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="94"/>
        <source>密码</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="135"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="135"/>
        <source>店长</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="136"/>
        <source>会计</source>
        <translation>Accountant</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="136"/>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="167"/>
        <source>请选择用户</source>
        <translation>Choose a user</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="171"/>
        <source>请输入密码</source>
        <translation>Enter the PIN</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="178"/>
        <source>正在启动…</source>
        <translation>Starting…</translation>
    </message>
</context>
<context>
    <name>ManagerScreen</name>
    <message>
        <location filename="../../ui/manager.py" line="308"/>
        <source>还有 {n} 张挂单未取：</source>
        <translation>{n} held sale(s) not recalled yet:</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="310"/>
        <source>挂单 {no}  {at}  {name}  {total}</source>
        <translation>Held sale {no}  {at}  {name}  {total}</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="313"/>
        <source>……另有 {n} 张</source>
        <translation>… and {n} more</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="100"/>
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="101"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="102"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="912"/>
        <source>财务：日结与对账</source>
        <translation>Accounts: Z and reconciliation</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="912"/>
        <source>系统管理</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="913"/>
        <source>店长管理</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="914"/>
        <source>{work} — {store}</source>
        <translation>{work} — {store}</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="924"/>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="947"/>
        <source>库存</source>
        <translation>Stock</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="947"/>
        <source>临期</source>
        <translation>Expiring</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="948"/>
        <source>收货</source>
        <translation>Receive</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="948"/>
        <source>报损</source>
        <translation>Write-off</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="949"/>
        <source>盘点</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="949"/>
        <source>批次</source>
        <translation>Batches</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="950"/>
        <source>溯源</source>
        <translation>Trace</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="955"/>
        <source>日结</source>
        <translation>Z</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="959"/>
        <source>对账</source>
        <translation>Reconcile</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="963"/>
        <source>人员</source>
        <translation>People</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="981"/>
        <source>返回收银</source>
        <translation>Back to the till</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="987"/>
        <source>硬件设置</source>
        <translation>Hardware settings</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="1079"/>
        <source>对账数据尚未保存，确定离开？</source>
        <translation>The reconciliation figures are not saved. Leave anyway?</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <location filename="../../ui/member_dialog.py" line="58"/>
        <source>普通</source>
        <translation>Standard</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="58"/>
        <source>银卡</source>
        <translation>Silver</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="59"/>
        <source>金卡</source>
        <translation>Gold</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="125"/>
        <location filename="../../ui/member_dialog.py" line="129"/>
        <source>会员</source>
        <translation>Member</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="134"/>
        <source>本单会员：{phone} {name}</source>
        <translation>Member on this sale: {phone} {name}</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="141"/>
        <source>手机号 / 后 4 位 / 扫会员码，Enter 查找</source>
        <translation>Mobile / last 4 digits / scan card, Enter to find</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="160"/>
        <source>请输入手机号，或手机号后 4 位，或扫描会员码</source>
        <translation>Type the customer&apos;s mobile number or its last 4 digits, or scan the member card</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="162"/>
        <source>返回 Esc</source>
        <translation>Back Esc</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="163"/>
        <source>新会员 F2</source>
        <translation>New member F2</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="164"/>
        <source>移除会员 F3</source>
        <translation>Remove member F3</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="167"/>
        <source>确定 Enter</source>
        <translation>OK Enter</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="202"/>
        <source>11 位手机号</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="206"/>
        <source>姓名或称呼</source>
        <translation>Name, or how to address them</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="210"/>
        <source>月-日，如 05-17（可不填）</source>
        <translation>Month-day, e.g. 05-17 (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="214"/>
        <source>登记新会员</source>
        <translation>Register member</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="216"/>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="218"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="220"/>
        <source>生日</source>
        <translation>Birthday</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="254"/>
        <source>正在查找会员…</source>
        <translation>Looking for the member…</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="270"/>
        <source>尾号 {last4} 的会员 {n} 位：↑↓ 选择，Enter 确定</source>
        <translation>{n} members with a number ending {last4}: ↑↓ to choose, Enter to confirm</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="278"/>
        <source>没有找到该会员：填写姓名后 Enter，登记为新会员</source>
        <translation>No member with this number: type a name and press Enter to register them</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="280"/>
        <source>没有找到该会员。按 新会员 F2 登记</source>
        <translation>No such member. Press New member F2 to register one</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="309"/>
        <source>登记新会员：输入手机号和姓名，Enter 登记</source>
        <translation>New member: type the mobile number and a name, Enter to register</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="320"/>
        <source>正在登记…</source>
        <translation>Registering…</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="327"/>
        <source>已登记会员 {phone} {name}</source>
        <translation>Member {phone} {name} registered</translation>
    </message>
</context>
<context>
    <name>MemberPickModel</name>
    <message>
        <location filename="../../ui/member_dialog.py" line="99"/>
        <source>手机号</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="99"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="100"/>
        <source>等级</source>
        <translation>Tier</translation>
    </message>
    <message>
        <location filename="../../ui/member_dialog.py" line="100"/>
        <source>积分</source>
        <translation>Points</translation>
    </message>
</context>
<context>
    <name>NearExpiryPage</name>
    <message>
        <location filename="../../ui/stock.py" line="333"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="333"/>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="333"/>
        <source>到期日</source>
        <translation>Expiry</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="333"/>
        <source>剩余</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="334"/>
        <source>库存</source>
        <translation>On hand</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="334"/>
        <source>合格证</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="334"/>
        <source>产地</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="336"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="338"/>
        <source>报损此批次</source>
        <translation>Write off this lot</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="345"/>
        <source>品类设置</source>
        <translation>Category settings</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="378"/>
        <source>没有临期或过期的批次</source>
        <translation>No lot is near or past its expiry</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="381"/>
        <source>临期 {n} 个批次，其中已过期 {m} 个（过期的请下架报损）</source>
        <translation>{n} lots near expiry, {m} of them expired (take expired ones off the shelf and write them off)</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="388"/>
        <source>请先选择一个批次</source>
        <translation>Select a lot first</translation>
    </message>
</context>
<context>
    <name>NoReceiptLinesModel</name>
    <message>
        <location filename="../../ui/returns.py" line="294"/>
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="294"/>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="295"/>
        <source>单价</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="295"/>
        <source>退款</source>
        <translation>Refund</translation>
    </message>
</context>
<context>
    <name>OpenShiftDialog</name>
    <message>
        <location filename="../../ui/shift.py" line="99"/>
        <source>开班</source>
        <translation>Open shift</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="102"/>
        <source>开班 · 清点备用金</source>
        <translation>Open shift · count the float</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="104"/>
        <source>{name}，本机尚未开班。请清点钱箱里的备用金，逐项输入张数/枚数（回车到下一行）。</source>
        <translation>{name}, no shift is open on this till. Count the float in the drawer and type the pieces of each note and coin (Enter for the next row).</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="112"/>
        <source>开班 Enter</source>
        <translation>Open shift Enter</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="114"/>
        <source>退出登录 Esc</source>
        <translation>Log out Esc</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="116"/>
        <source>店长管理 F1</source>
        <translation>Manager F1</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../ui/payment.py" line="581"/>
        <source>已收齐，无需再扫付款码；请按回车确认收款</source>
        <translation>Everything is paid: no payment code is needed. Press Enter to confirm.</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="634"/>
        <source>（{reference}）</source>
        <translation> ({reference})</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="636"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="642"/>
        <source>请确认</source>
        <translation>Please confirm</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="643"/>
        <source>已收取的{tenders}将被取消，确定吗？</source>
        <translation>The {tenders} already taken will be cancelled. Are you sure?</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="645"/>
        <source>是，取消这笔付款</source>
        <translation>Yes, cancel this payment</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="646"/>
        <source>否，保留</source>
        <translation>No, keep it</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="657"/>
        <source>已保留：{tenders}</source>
        <translation>Kept: {tenders}</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="240"/>
        <source>应收</source>
        <translation>Due</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="86"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="87"/>
        <source>微信</source>
        <translation>WeChat</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="88"/>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="89"/>
        <source>银联/聚合</source>
        <translation>UnionPay/POS</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="90"/>
        <source>消费券</source>
        <translation>Voucher</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="91"/>
        <source>单位挂账</source>
        <translation>On account</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="227"/>
        <source>收款</source>
        <translation>Pay</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="240"/>
        <source>已收</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="241"/>
        <source>还需</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="242"/>
        <source>找零</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="260"/>
        <source>删除一笔 F8</source>
        <translation>Remove one F8</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="264"/>
        <source>已收款项</source>
        <translation>Taken so far</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="334"/>
        <source>凑整</source>
        <translation>Round up</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="361"/>
        <source>确认收款 Enter</source>
        <translation>Confirm  Enter</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="366"/>
        <source>取消 Esc</source>
        <translation>Cancel  Esc</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="426"/>
        <source>实收现金</source>
        <translation>Cash given</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="427"/>
        <source>微信金额</source>
        <translation>WeChat amount</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="427"/>
        <location filename="../../ui/payment.py" line="428"/>
        <source>付款码（扫码，可不填）</source>
        <translation>Payment code (scan; optional)</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="428"/>
        <source>支付宝金额</source>
        <translation>Alipay amount</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="429"/>
        <source>刷卡金额</source>
        <translation>Card amount</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="429"/>
        <source>终端参考号（必填）</source>
        <translation>Terminal reference (required)</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="430"/>
        <source>券面金额</source>
        <translation>Face value</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="430"/>
        <source>消费券券号（必填）</source>
        <translation>Voucher number (required)</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="431"/>
        <source>挂账金额</source>
        <translation>Amount on account</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="431"/>
        <source>挂账单位（点选，或输入编码/名称/拼音首字母）</source>
        <translation>Account (tap one, or type its code, name or pinyin initials)</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="444"/>
        <source>扫描或输入券号</source>
        <translation>Scan or type the voucher number</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="444"/>
        <source>如 PHGH 或 phzgh</source>
        <translation>e.g. PHGH or phzgh</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="491"/>
        <source>（{name}）</source>
        <translation> ({name})</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="492"/>
        <source>回车确认：{kind} {amount}</source>
        <translation>Enter to confirm: {kind} {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="494"/>
        <source>，找零 {change}</source>
        <translation>, change {change}</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="503"/>
        <location filename="../../ui/payment.py" line="504"/>
        <source>请扫顾客的付款码（可不填），回车确认</source>
        <translation>Scan the customer&apos;s payment code (optional), then press Enter</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="505"/>
        <source>请输入刷卡终端的参考号，回车确认</source>
        <translation>Type the card terminal&apos;s reference number, then press Enter</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="506"/>
        <source>请扫描或输入消费券券号，回车确认</source>
        <translation>Scan or type the voucher number, then press Enter</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="507"/>
        <source>请点选挂账单位，或输入编码/名称，回车确认</source>
        <translation>Tap the account, or type its code or name, then press Enter</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="590"/>
        <source>已收{kind} {amount}，{left}</source>
        <translation>Took {kind} {amount}; {left}</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <location filename="../../ui/manager.py" line="807"/>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="807"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="807"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="807"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="815"/>
        <source>添加人员</source>
        <translation>Add a person</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="817"/>
        <source>停用</source>
        <translation>Disable</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="833"/>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="834"/>
        <source>已锁定</source>
        <translation>Locked out</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="834"/>
        <source>在用</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="859"/>
        <source>已添加：{name}（{role}）</source>
        <translation>Added: {name} ({role})</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="869"/>
        <source>请先选择一个人</source>
        <translation>Choose a person first</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="873"/>
        <source>{name} 已停用</source>
        <translation>{name} is already disabled</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="875"/>
        <source>确定停用 {name}（{login}）？停用后不能再登录。</source>
        <translation>Disable {name} ({login})? They will not be able to log in.</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="881"/>
        <source>已停用：{name}</source>
        <translation>Disabled: {name}</translation>
    </message>
</context>
<context>
    <name>PrintQueueDialog</name>
    <message>
        <location filename="../../ui/device_panels.py" line="272"/>
        <source>打印队列</source>
        <translation>Print queue</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="274"/>
        <source>打印队列（未打印的小票）</source>
        <translation>Print queue (receipts not printed)</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="278"/>
        <source>编号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="278"/>
        <source>内容</source>
        <translation>What</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="278"/>
        <source>次数</source>
        <translation>Tries</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="278"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="279"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="290"/>
        <source>重试</source>
        <translation>Retry</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="291"/>
        <source>全部重试</source>
        <translation>Retry all</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="292"/>
        <source>放弃</source>
        <translation>Abandon</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="294"/>
        <source>关闭 Esc</source>
        <translation>Close Esc</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="330"/>
        <source>没有待打印的小票</source>
        <translation>Nothing waiting to be printed</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="356"/>
        <source>正在处理…</source>
        <translation>Working…</translation>
    </message>
</context>
<context>
    <name>QuantityDialog</name>
    <message>
        <location filename="../../ui/quantity.py" line="42"/>
        <source>输入重量</source>
        <translation>Enter weight</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="42"/>
        <source>修改数量</source>
        <translation>Change quantity</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="53"/>
        <source>按重量销售，请输入千克数（如 1.255）</source>
        <translation>Sold by weight: enter kilograms (e.g. 1.255)</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="54"/>
        <source>请输入数量</source>
        <translation>Enter the quantity</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="64"/>
        <source>千克</source>
        <translation>kg</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="64"/>
        <source>件</source>
        <translation>pcs</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="88"/>
        <source>确定 Enter</source>
        <translation>OK Enter</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="92"/>
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="100"/>
        <source>称重 F2</source>
        <translation>Weigh F2</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="141"/>
        <source>正在称重，请等秤稳定…</source>
        <translation>Weighing, waiting for the scale to settle…</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="159"/>
        <source>秤读数 {kg} 千克，按 Enter 确认</source>
        <translation>Scale reads {kg} kg, press Enter to confirm</translation>
    </message>
    <message>
        <location filename="../../ui/quantity.py" line="164"/>
        <source>秤没有给出重量，请手工输入</source>
        <translation>The scale gave no weight; type it in</translation>
    </message>
</context>
<context>
    <name>ReceivingPage</name>
    <message>
        <location filename="../../ui/stock_receiving.py" line="108"/>
        <source>送货单文件</source>
        <translation>Delivery note file</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="109"/>
        <source>扫码收货</source>
        <translation>Receive by scanner</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="120"/>
        <source>确认收货</source>
        <translation>Confirm receipt</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="138"/>
        <source>打开送货单…</source>
        <translation>Open delivery note…</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="140"/>
        <source>CSV 或 XLSX，表头中文或英文（批次号、供应商、联系方式、到货日期、商品编码或条码、数量、进价、到期日或生产日期+保质期天数、产地、合格证编号…）</source>
        <translation>CSV or XLSX, headers in English or Chinese (batch, supplier, supplier_contact, arrival, sku or barcode, quantity, unit_cost, expiry or production_date + shelf_life_days, origin, certificate…)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="147"/>
        <location filename="../../ui/stock_receiving.py" line="287"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="147"/>
        <location filename="../../ui/stock_receiving.py" line="287"/>
        <source>商品编码</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="147"/>
        <location filename="../../ui/stock_receiving.py" line="272"/>
        <location filename="../../ui/stock_receiving.py" line="287"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="147"/>
        <location filename="../../ui/stock_receiving.py" line="272"/>
        <location filename="../../ui/stock_receiving.py" line="287"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="148"/>
        <location filename="../../ui/stock_receiving.py" line="273"/>
        <location filename="../../ui/stock_receiving.py" line="288"/>
        <source>进价</source>
        <translation>Unit cost</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="148"/>
        <location filename="../../ui/stock_receiving.py" line="288"/>
        <source>金额</source>
        <translation>Cost</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="148"/>
        <location filename="../../ui/stock_receiving.py" line="274"/>
        <location filename="../../ui/stock_receiving.py" line="288"/>
        <source>到期日</source>
        <translation>Expiry</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="148"/>
        <location filename="../../ui/stock_receiving.py" line="276"/>
        <location filename="../../ui/stock_receiving.py" line="288"/>
        <source>合格证</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="149"/>
        <location filename="../../ui/stock_receiving.py" line="276"/>
        <location filename="../../ui/stock_receiving.py" line="289"/>
        <source>产地</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="169"/>
        <source>打开送货单</source>
        <translation>Open delivery note</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="170"/>
        <source>送货单 (*.csv *.xlsx);;所有文件 (*)</source>
        <translation>Delivery notes (*.csv *.xlsx);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="181"/>
        <source>正在检查送货单…</source>
        <translation>Checking the delivery note…</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="206"/>
        <source>送货单有 {n} 处问题，整单未收货。请改正后重新打开：</source>
        <translation>The delivery note has {n} problem(s); nothing was received. Correct it and open it again:</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="211"/>
        <source>……另有 {n} 处问题</source>
        <translation>… and {n} more problem(s)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="213"/>
        <source>批次 {batch} · {supplier}（{contact}）· 到货 {arrival} · {n} 行 · 合计 {total}</source>
        <translation>Batch {batch} · {supplier} ({contact}) · arrived {arrival} · {n} lines · total {total}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="219"/>
        <location filename="../../ui/stock_receiving.py" line="353"/>
        <source>提示：{text}</source>
        <translation>Note: {text}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="224"/>
        <source>请核对后点“确认收货”</source>
        <translation>Check the lines, then tap Confirm receipt</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="243"/>
        <source>如 SHKC-2026-48</source>
        <translation>e.g. SHKC-2026-48</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="244"/>
        <location filename="../../ui/stock_receiving.py" line="256"/>
        <location filename="../../ui/stock_receiving.py" line="433"/>
        <source>供应商</source>
        <translation>Supplier</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="245"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="256"/>
        <location filename="../../ui/stock_receiving.py" line="433"/>
        <source>批次号</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="257"/>
        <location filename="../../ui/stock_receiving.py" line="433"/>
        <source>联系方式</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="257"/>
        <location filename="../../ui/stock_receiving.py" line="434"/>
        <source>到货日期</source>
        <translation>Arrival</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="259"/>
        <source>扫商品条码或输入编码</source>
        <translation>Scan a barcode or type a SKU</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="260"/>
        <source>件数，称重商品为 kg</source>
        <translation>Units, or kg for weighed goods</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="261"/>
        <source>元/件 或 元/kg</source>
        <translation>Yuan per unit or per kg</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="262"/>
        <source>2026-12-05</source>
        <translation>2026-12-05</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="263"/>
        <source>或生产日期</source>
        <translation>or production date</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="264"/>
        <source>保质期天数</source>
        <translation>Shelf life days</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="265"/>
        <source>如 松阳</source>
        <translation>e.g. Songyang</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="266"/>
        <source>输入编号或扫合格证二维码</source>
        <translation>Type its number or scan the certificate&apos;s QR</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="267"/>
        <source>牛羊肉等需要</source>
        <translation>Needed for beef, mutton…</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="274"/>
        <source>生产日期</source>
        <translation>Produced</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="275"/>
        <source>保质期</source>
        <translation>Shelf life</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="277"/>
        <source>检疫证明</source>
        <translation>Quarantine</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="278"/>
        <source>加入本行 Enter</source>
        <translation>Add line Enter</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="280"/>
        <source>删除所选行</source>
        <translation>Delete selected line</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="350"/>
        <source>已加入：{name} {sku}</source>
        <translation>Added: {name} {sku}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="376"/>
        <source>请先选择要删除的行</source>
        <translation>Select the line to delete first</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="384"/>
        <source>{n} 行，合计 {total}</source>
        <translation>{n} lines, total {total}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="389"/>
        <source>扫码收货的 {n} 行还没有确认收货，确定离开？</source>
        <translation>{n} scanned line(s) have not been received yet. Leave anyway?</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="422"/>
        <location filename="../../ui/stock_receiving.py" line="441"/>
        <source>确认收货：批次 {batch}，{n} 行，合计 {total}？</source>
        <translation>Receive batch {batch}: {n} lines, total {total}?</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="435"/>
        <source>请填写：{fields}</source>
        <translation>Please fill in: {fields}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="439"/>
        <source>还没有加入任何商品</source>
        <translation>No goods have been added yet</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="449"/>
        <source>正在收货…</source>
        <translation>Receiving…</translation>
    </message>
    <message>
        <location filename="../../ui/stock_receiving.py" line="461"/>
        <source>已收货：批次 {batch}，{n} 个批号，合计 {total}</source>
        <translation>Received: batch {batch}, {n} lots, total {total}</translation>
    </message>
</context>
<context>
    <name>ReconciliationPage</name>
    <message>
        <location filename="../../ui/manager.py" line="651"/>
        <source>请先录入申报金额，或填写无对账单原因</source>
        <translation>Enter the statement figures first, or a reason why there is no statement</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="661"/>
        <source>有未保存的修改：请先保存（F6），再由录入人以外的人审核</source>
        <translation>Unsaved changes: save first (F6); then someone other than who entered the figures approves</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="501"/>
        <source>无对账单时填写原因</source>
        <translation>Reason, if there is no statement</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="383"/>
        <source>无对账单原因</source>
        <translation>Why no statement</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="585"/>
        <source>无对账单</source>
        <translation>No statement</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="516"/>
        <source>已审核（{name}）</source>
        <translation>Approved ({name})</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="520"/>
        <source>已保存，未审核（录入 {name}，须由另一人审核）</source>
        <translation>Saved, not approved (entered by {name}; someone else must approve)</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="366"/>
        <source>读取</source>
        <translation>Load</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="372"/>
        <source>营业日</source>
        <translation>Business day</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="382"/>
        <source>付款方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="382"/>
        <source>应收</source>
        <translation>Expected</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="382"/>
        <source>申报</source>
        <translation>Declared</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="382"/>
        <source>差额</source>
        <translation>Variance</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="402"/>
        <source>备注（如：手续费、长短款原因）</source>
        <translation>Notes (fees, why cash was short or over)</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="405"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="407"/>
        <source>审核</source>
        <translation>Approve</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="432"/>
        <source>还没有日结过的营业日：请先日结，再对账</source>
        <translation>No business day has been closed yet: take the Z first, then reconcile</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="474"/>
        <source>{day} 的对账已读取</source>
        <translation>Reconciliation of {day} loaded</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="475"/>
        <source>{day}：请按对账单录入各付款方式的申报金额</source>
        <translation>{day}: type each tender&apos;s figure from the statements</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="523"/>
        <source>未录入</source>
        <translation>Nothing entered</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="578"/>
        <source>金额无效</source>
        <translation>Not an amount</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="614"/>
        <source>差额合计 {total}</source>
        <translation>Total variance {total}</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="654"/>
        <source>已保存 {day} 的对账数据</source>
        <translation>Reconciliation of {day} saved</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="664"/>
        <source>审核后 {day} 的对账数据将锁定，不能再修改。确定审核？</source>
        <translation>After approval the figures of {day} are locked. Approve?</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="665"/>
        <source>未审核</source>
        <translation>Not approved</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="667"/>
        <source>{day} 已审核并锁定</source>
        <translation>{day} approved and locked</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../ui/reports_view.py" line="186"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ReportView</name>
    <message>
        <location filename="../../ui/reports_view.py" line="90"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="92"/>
        <source>导出PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="127"/>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="145"/>
        <source>正在导出PDF…</source>
        <translation>Exporting the PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="152"/>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
</context>
<context>
    <name>ReturnDialog</name>
    <message>
        <location filename="../../ui/returns.py" line="332"/>
        <location filename="../../ui/returns.py" line="335"/>
        <source>退货</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="337"/>
        <source>凭小票退货</source>
        <translation>With receipt</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="338"/>
        <source>无小票退货</source>
        <translation>Without receipt</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="359"/>
        <source>退货原因（可不填），如 质量问题</source>
        <translation>Reason (optional), e.g. faulty</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="361"/>
        <source>消费券部分退</source>
        <translation>Voucher share refunded as</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="376"/>
        <source>确认退货 F12</source>
        <translation>Confirm return F12</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="381"/>
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="385"/>
        <source>完成 Enter</source>
        <translation>Done Enter</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="401"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="456"/>
        <source>扫描小票上的条码 / 二维码，或输入小票号</source>
        <translation>Scan the receipt&apos;s barcode / QR code, or type its number</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="459"/>
        <source>查询</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="461"/>
        <source>小票号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="465"/>
        <location filename="../../ui/returns.py" line="823"/>
        <source>请先扫描或输入原小票号</source>
        <translation>Scan or type the original receipt number first</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="483"/>
        <source>本行全退</source>
        <translation>Whole line</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="484"/>
        <source>整单全退</source>
        <translation>Everything</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="496"/>
        <source>无小票退货：按今日售价退现金，需店长授权</source>
        <translation>Without a receipt: cash back at today&apos;s price, a manager approves</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="502"/>
        <source>扫描商品条码 / 称重码，或输入 PLU、货号</source>
        <translation>Scan a barcode / scale label, or type a PLU or SKU</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="506"/>
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="480"/>
        <source>称重商品按千克，回车</source>
        <translation>kg for weighed goods, then Enter</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="491"/>
        <source>选中行的退货数量</source>
        <translation>Quantity to return on the selected line</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="521"/>
        <source>0 为删除，回车</source>
        <translation>0 removes the line, then Enter</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="530"/>
        <source>选中行的数量</source>
        <translation>Quantity on the selected line</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="625"/>
        <source>请扫描或输入原小票号</source>
        <translation>Please scan or type the original receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="628"/>
        <source>正在查询小票…</source>
        <translation>Looking up the receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="642"/>
        <source>小票 {no} · {day} · 收银员 {cashier} · 应收 {total} · 付款 {paid}</source>
        <translation>Receipt {no} · {day} · cashier {cashier} · due {total} · paid {paid}</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="646"/>
        <source>这张小票的商品已全部退货</source>
        <translation>Everything on this receipt has been returned already</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="649"/>
        <source>↑↓ 选择商品，输入退货数量后回车；F12 确认退货</source>
        <translation>↑↓ choose a line, type the quantity and Enter; F12 confirms</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="683"/>
        <source>请先选择要退的商品（↑↓ 键或点选）</source>
        <translation>Choose the line to return first (↑↓ or tap)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="715"/>
        <source>正在计算退款…</source>
        <translation>Working out the refund…</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="741"/>
        <source>应退 {total}</source>
        <translation>Refund {total}</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="745"/>
        <source>应退 {total}：{how}（消费券部分退{to}，其余退回原付款方式）</source>
        <translation>To refund {total}: {how} (the voucher&apos;s share in {to}, the rest to the original payments)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="748"/>
        <source>应退 {total}：{how}（退回原付款方式）</source>
        <translation>Refund {total}: {how} (back to the original tenders)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="765"/>
        <source>这是付款码，不是商品条码</source>
        <translation>That is a payment code, not a product</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="768"/>
        <source>请扫描商品条码或输入 PLU / 货号</source>
        <translation>Scan a product or type a PLU / SKU</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="791"/>
        <source>已加入：{name} × {qty}</source>
        <translation>Added: {name} × {qty}</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="801"/>
        <source>请先选择商品（↑↓ 键或点选）</source>
        <translation>Choose a line first (↑↓ or tap)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="811"/>
        <source>应退现金 {total}（按今日售价）</source>
        <translation>Cash refund {total} (today&apos;s price)</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="821"/>
        <source>请先扫描要退的商品</source>
        <translation>Scan the goods coming back first</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="825"/>
        <source>请选择要退的商品和数量</source>
        <translation>Choose the lines and quantities to return</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="839"/>
        <source>正在办理退货…</source>
        <translation>Returning…</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="852"/>
        <source>无小票</source>
        <translation>without receipt</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="864"/>
        <source>未获授权，退货未办理</source>
        <translation>Not approved: nothing was returned</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="884"/>
        <source>退货完成  退货单 {no}  退款 {total}：{how}</source>
        <translation>Return done  return {no}  refund {total}: {how}</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="887"/>
        <source>请按上面的方式退款给顾客；退货单正在打印</source>
        <translation>Refund the customer as shown above; the return slip is printing</translation>
    </message>
</context>
<context>
    <name>ReturnLinesModel</name>
    <message>
        <location filename="../../ui/returns.py" line="187"/>
        <source>行</source>
        <translation>Line</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="187"/>
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="188"/>
        <source>售出</source>
        <translation>Sold</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="188"/>
        <source>可退</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="189"/>
        <source>退货数量</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/returns.py" line="189"/>
        <source>退款</source>
        <translation>Refund</translation>
    </message>
</context>
<context>
    <name>SalesChart</name>
    <message>
        <location filename="../../ui/charts.py" line="68"/>
        <source>本期间无销售</source>
        <translation>No sales in this period</translation>
    </message>
    <message>
        <location filename="../../ui/charts.py" line="106"/>
        <source>元</source>
        <translation>yuan</translation>
    </message>
</context>
<context>
    <name>SalesCharts</name>
    <message>
        <location filename="../../ui/charts.py" line="137"/>
        <source>每日净销售额</source>
        <translation>Net sales by day</translation>
    </message>
    <message>
        <location filename="../../ui/charts.py" line="138"/>
        <source>分类净销售额</source>
        <translation>Net sales by category</translation>
    </message>
    <message>
        <location filename="../../ui/charts.py" line="139"/>
        <source>各时段净销售额</source>
        <translation>Net sales by hour</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <location filename="../../ui/search.py" line="167"/>
        <source>商品搜索</source>
        <translation>Find a product</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="174"/>
        <source>拼音首字母 / 全拼 / 中文 / 条码 / PLU</source>
        <translation>Pinyin initials / pinyin / Chinese / barcode / PLU</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="197"/>
        <source>↑↓ 选择  Enter 加入  Esc 返回</source>
        <translation>↑↓ choose  Enter add  Esc back</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="199"/>
        <source>加入 Enter</source>
        <translation>Add Enter</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="204"/>
        <source>返回 Esc</source>
        <translation>Back Esc</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="218"/>
        <location filename="../../ui/search.py" line="252"/>
        <source>请输入拼音首字母（如 btxpg）、全拼、中文或条码</source>
        <translation>Type pinyin initials (e.g. btxpg), pinyin, Chinese or a barcode</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="255"/>
        <source>正在搜索…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="267"/>
        <source>找到 {n} 项</source>
        <translation>{n} found</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="269"/>
        <source>没有找到“{text}”</source>
        <translation>Nothing found for “{text}”</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="292"/>
        <source>没有可加入的商品</source>
        <translation>Nothing to add</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <location filename="../../ui/search.py" line="106"/>
        <source>{n} 款：{shown}</source>
        <translation>{n} variants: {shown}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="108"/>
        <source>称重</source>
        <translation>by weight</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="115"/>
        <source>{price} 起</source>
        <translation>from {price}</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="143"/>
        <source>商品</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="143"/>
        <source>规格</source>
        <translation>Variant</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="144"/>
        <source>价格</source>
        <translation>Price</translation>
    </message>
    <message>
        <location filename="../../ui/search.py" line="144"/>
        <source>编码</source>
        <translation>Code</translation>
    </message>
</context>
<context>
    <name>ShiftMenuDialog</name>
    <message>
        <location filename="../../ui/shift.py" line="196"/>
        <location filename="../../ui/shift.py" line="198"/>
        <source>班次 / 钱箱</source>
        <translation>Shift / drawer</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="200"/>
        <source>正在读取班次…</source>
        <translation>Reading the shift…</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="204"/>
        <source>存入备用金</source>
        <translation>Cash in (float)</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="204"/>
        <source>取出现金</source>
        <translation>Cash out</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="205"/>
        <source>X 报表</source>
        <translation>X report</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="205"/>
        <source>交班</source>
        <translation>Close shift</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="206"/>
        <source>开钱箱</source>
        <translation>Open drawer</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="212"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="226"/>
        <source>本机尚未开班</source>
        <translation>No shift is open on this till</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="229"/>
        <source>班次 {no} · 开班 {by} · {at}</source>
        <translation>Shift {no} · opened by {by} · {at}</translation>
    </message>
    <message>
        <location filename="../../ui/shift.py" line="230"/>
        <source>备用金 {float}</source>
        <translation>Float {float}</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <location filename="../../ui/device_panels.py" line="121"/>
        <source>硬件设置</source>
        <translation>Hardware settings</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="137"/>
        <source>打印机：检查中…</source>
        <translation>Printer: checking…</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="138"/>
        <source>待打印 0</source>
        <translation>To print 0</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="139"/>
        <source>同步：检查中…</source>
        <translation>Sync: checking…</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="160"/>
        <source>扫码枪：键盘模式</source>
        <translation>Scanner: keyboard</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="162"/>
        <source>扫码枪：连接中…</source>
        <translation>Scanner: connecting…</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="164"/>
        <source>秤：已配置</source>
        <translation>Scale: configured</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="164"/>
        <source>秤：未配置</source>
        <translation>Scale: none</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="166"/>
        <location filename="../../ui/device_panels.py" line="182"/>
        <source>客显：已配置</source>
        <translation>Display: configured</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="166"/>
        <source>客显：未配置</source>
        <translation>Display: none</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="182"/>
        <source>客显：正常</source>
        <translation>Display: OK</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="182"/>
        <source>客显：出错</source>
        <translation>Display: error</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="213"/>
        <source>打印机：未知</source>
        <translation>Printer: unknown</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="218"/>
        <source>打印机：{state}</source>
        <translation>Printer: {state}</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="232"/>
        <source>待打印 {n}</source>
        <translation>To print {n}</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="242"/>
        <source>同步：{reason}</source>
        <translation>Sync: {reason}</translation>
    </message>
</context>
<context>
    <name>StockPage</name>
    <message>
        <location filename="../../ui/stock.py" line="165"/>
        <source>昨天过期</source>
        <translation>expired yesterday</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="167"/>
        <source>已过期 {n} 天</source>
        <translation>expired {n} days ago</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="169"/>
        <source>今天到期</source>
        <translation>expires today</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="171"/>
        <source>明天到期</source>
        <translation>expires tomorrow</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="172"/>
        <source>{n} 天</source>
        <translation>{n} days</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="176"/>
        <source>件</source>
        <translation>units</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="181"/>
        <source>（无批次）</source>
        <translation>(no batch)</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="212"/>
        <source>搜索：商品编码、名称或分类</source>
        <translation>Search: SKU, name or category</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="219"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="221"/>
        <source>报损此商品</source>
        <translation>Write off this product</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="226"/>
        <source>商品编码</source>
        <translation>SKU</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="226"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="226"/>
        <source>分类</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="226"/>
        <location filename="../../ui/stock.py" line="233"/>
        <source>库存</source>
        <translation>On hand</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="226"/>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="227"/>
        <source>成本金额</source>
        <translation>Value at cost</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="227"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="230"/>
        <location filename="../../ui/stock.py" line="296"/>
        <source>批次（选择上面的商品）</source>
        <translation>Lots (select a product above)</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="232"/>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="232"/>
        <source>到货日期</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="232"/>
        <source>到期日</source>
        <translation>Expiry</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="232"/>
        <source>剩余</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="233"/>
        <source>合格证</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="233"/>
        <source>产地</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="248"/>
        <source>正在读取库存…</source>
        <translation>Reading stock…</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="265"/>
        <source>负库存</source>
        <translation>Sold past zero</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="271"/>
        <source>{n} 种商品，库存成本 {value}</source>
        <translation>{n} products, stock at cost {value}</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="273"/>
        <source>；负库存 {n} 种（卖超，请收货或盘点）</source>
        <translation>; {n} sold past zero (receive or count them)</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="275"/>
        <source>；显示 {n} 种</source>
        <translation>; showing {n}</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="298"/>
        <source>{name}：没有有库存的批次</source>
        <translation>{name}: no lot with stock</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="300"/>
        <source>{name} 的批次（先到期先出）</source>
        <translation>Lots of {name} (first expiry first out)</translation>
    </message>
    <message>
        <location filename="../../ui/stock.py" line="309"/>
        <source>请先选择一个商品</source>
        <translation>Select a product first</translation>
    </message>
</context>
<context>
    <name>StockTracePage</name>
    <message>
        <location filename="../../ui/stock_trace.py" line="40"/>
        <source>扫描或输入小票号（如 MX01-20261122-0042）或批次号（如 SHKC-2026-48）</source>
        <translation>Scan or type a receipt number (e.g. MX01-20261122-0042) or a batch number (e.g. SHKC-2026-48)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="43"/>
        <source>查询</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="45"/>
        <location filename="../../ui/stock_trace.py" line="126"/>
        <source>小票：每行商品的批次、合格证、产地、到货日期；批次：卖出它的每张小票（召回用）</source>
        <translation>A receipt: each line&apos;s batch, certificate, origin and arrival. A batch: every receipt that sold from it (for a recall)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="50"/>
        <location filename="../../ui/stock_trace.py" line="53"/>
        <source>行</source>
        <translation>Line</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="50"/>
        <location filename="../../ui/stock_trace.py" line="53"/>
        <source>商品</source>
        <translation>Product</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="50"/>
        <location filename="../../ui/stock_trace.py" line="54"/>
        <source>数量</source>
        <translation>Qty</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="50"/>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="51"/>
        <source>合格证</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="51"/>
        <source>产地</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="51"/>
        <source>到货日期</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="51"/>
        <source>到期日</source>
        <translation>Expiry</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="53"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="53"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="53"/>
        <source>单号</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="54"/>
        <source>批号</source>
        <translation>Lot</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="82"/>
        <source>正在查询…</source>
        <translation>Looking up…</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="100"/>
        <source>退货</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="100"/>
        <source>销售</source>
        <translation>Sale</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="102"/>
        <source>批次 {batch}：{supplier} {contact}，到货 {arrival}；{n} 张小票售出，退货 {m} 笔</source>
        <translation>Batch {batch}: {supplier} {contact}, arrived {arrival}; sold on {n} receipt(s), {m} return(s)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="108"/>
        <source>另 {n} 个批号</source>
        <translation>{n} more lot(s)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="109"/>
        <source>批号：</source>
        <translation>Lots: </translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="105"/>
        <source>{lot} 合格证 {cert} 产地 {origin} 到期 {expiry}</source>
        <translation>{lot} certificate {cert} origin {origin} expiry {expiry}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="109"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="111"/>
        <source>这个批次还没有卖出过</source>
        <translation>Nothing of this batch has been sold yet</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="118"/>
        <source>小票 {no}：{n} 行有批次记录</source>
        <translation>Receipt {no}: {n} line(s) with a lot</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="120"/>
        <source>这张小票的商品没有批次记录（未跟踪库存）</source>
        <translation>No lot for this receipt&apos;s goods (their stock is not followed)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_trace.py" line="122"/>
        <source>{n} 行卖超库存，没有批次（负库存）</source>
        <translation>{n} line(s) sold past zero, without a lot</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../ui/device_panels.py" line="406"/>
        <location filename="../../ui/device_panels.py" line="408"/>
        <source>总部同步</source>
        <translation>Head-office sync</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="410"/>
        <source>正在读取…</source>
        <translation>Reading…</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="415"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="423"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="423"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="423"/>
        <source>上传</source>
        <translation>Sent</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="423"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="424"/>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="430"/>
        <source>关闭 Esc</source>
        <translation>Close Esc</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="440"/>
        <source>上次下载的变更</source>
        <translation>Last changes downloaded</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="442"/>
        <source>同步记录</source>
        <translation>Sync history</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="461"/>
        <source>总部地址 {url} · 收银机 {terminal} · 已确认到第 {seq} 条 · 主数据版本 {v}</source>
        <translation>Head office {url} · terminal {terminal} · acknowledged up to {seq} · master data version {v}</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="467"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="471"/>
        <source>变更 {n} 项</source>
        <translation>{n} changes</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="472"/>
        <source>成功</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="472"/>
        <source>失败</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="486"/>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="499"/>
        <source>同步失败：{reason}</source>
        <translation>Sync failed: {reason}</translation>
    </message>
</context>
<context>
    <name>TenderListModel</name>
    <message>
        <location filename="../../ui/payment.py" line="133"/>
        <source>方式</source>
        <translation>Tender</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="133"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../ui/payment.py" line="134"/>
        <source>参考号</source>
        <translation>Reference</translation>
    </message>
</context>
<context>
    <name>ValueDialog</name>
    <message>
        <location filename="../../ui/value_dialog.py" line="96"/>
        <source>这是顾客的付款码，不能在这里使用；请在收款（F12）时扫码</source>
        <translation>That is the customer&apos;s payment code; it cannot be used here. Scan it when taking payment (F12).</translation>
    </message>
    <message>
        <location filename="../../ui/value_dialog.py" line="68"/>
        <source>确定 Enter</source>
        <translation>OK Enter</translation>
    </message>
    <message>
        <location filename="../../ui/value_dialog.py" line="72"/>
        <source>取消 Esc</source>
        <translation>Cancel Esc</translation>
    </message>
</context>
<context>
    <name>VariantDialog</name>
    <message>
        <location filename="../../ui/variants.py" line="57"/>
        <source>选择款式</source>
        <translation>Choose a variant</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="66"/>
        <source>选择颜色和尺码：方向键移动，Enter 加入，Esc 返回</source>
        <translation>Choose colour and size: arrows move, Enter adds, Esc back</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="72"/>
        <source>颜色 / 尺码</source>
        <translation>Colour / size</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="76"/>
        <source>均码</source>
        <translation>One size</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="82"/>
        <source>默认</source>
        <translation>Default</translation>
    </message>
    <message>
        <location filename="../../ui/variants.py" line="100"/>
        <source>返回 Esc</source>
        <translation>Back Esc</translation>
    </message>
</context>
<context>
    <name>WriteOffPage</name>
    <message>
        <location filename="../../ui/stock_adjust.py" line="62"/>
        <source>变质</source>
        <translation>Spoiled</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="62"/>
        <source>破损</source>
        <translation>Broken</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="63"/>
        <source>过期</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="64"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="123"/>
        <source>扫商品条码或输入商品编码，回车</source>
        <translation>Scan a barcode or type a SKU, Enter</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="125"/>
        <source>请先扫码或在“库存”“临期”页选择商品</source>
        <translation>Scan a product, or choose one on the Stock or Expiring page</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="128"/>
        <source>批次</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="128"/>
        <source>到货日期</source>
        <translation>Arrived</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="128"/>
        <source>到期日</source>
        <translation>Expiry</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="128"/>
        <source>剩余</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="129"/>
        <source>库存</source>
        <translation>On hand</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="129"/>
        <source>合格证</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="129"/>
        <source>产地</source>
        <translation>Origin</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="131"/>
        <source>选一个批次只从该批次报损；不选则先到期先出</source>
        <translation>Select a lot to write off from it only; otherwise first expiry first out</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="135"/>
        <source>件数，称重商品为 kg</source>
        <translation>Units, or kg for weighed goods</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="150"/>
        <source>说明（原因为“其他”时必填）</source>
        <translation>Note (needed when the reason is Other)</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="151"/>
        <source>报损</source>
        <translation>Write off</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="154"/>
        <source>数量</source>
        <translation>Quantity</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="154"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="155"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="189"/>
        <source>{name} 没有库存记录（未收过货也未盘点过），不能报损</source>
        <translation>{name} has no stock record (never received or counted); nothing to write off</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="197"/>
        <source>件</source>
        <translation>units</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="198"/>
        <source>{name}（{sku}）库存 {qty} {unit}</source>
        <translation>{name} ({sku}) on hand {qty} {unit}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="234"/>
        <source>{name} {qty}{unit}，原因：{reason}</source>
        <translation>{name} {qty}{unit}, reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="237"/>
        <source>确定报损 {what}？</source>
        <translation>Write off {what}?</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="246"/>
        <source>报损需要店长授权</source>
        <translation>Writing off stock needs a manager&apos;s approval</translation>
    </message>
    <message>
        <location filename="../../ui/stock_adjust.py" line="252"/>
        <source>已报损：{name} {qty}，成本 {cost}</source>
        <translation>Written off: {name} {qty}, cost {cost}</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../ui/app.py" line="57"/>
        <source>连心收银</source>
        <translation>LianXin POS</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="125"/>
        <source>连心收银无法启动</source>
        <translation>LianXin POS cannot start</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="194"/>
        <location filename="../../ui/app.py" line="204"/>
        <location filename="../../ui/screenshot_accountant.py" line="135"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
</context>
<context>
    <name>devices</name>
    <message>
        <location filename="../../ui/device_panels.py" line="40"/>
        <source>就绪</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="40"/>
        <source>纸将尽</source>
        <translation>paper low</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="41"/>
        <source>缺纸</source>
        <translation>paper out</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="41"/>
        <source>开盖</source>
        <translation>cover open</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="42"/>
        <source>离线</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="43"/>
        <location filename="../../ui/settings.py" line="75"/>
        <source>故障</source>
        <translation>fault</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="43"/>
        <location filename="../../ui/device_panels.py" line="45"/>
        <source>未知</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="68"/>
        <source>（上次成功 {at}）</source>
        <translation> (last success {at})</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="70"/>
        <source>已同步</source>
        <translation>Synced</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="72"/>
        <source>待上传 {n} 条</source>
        <translation>{n} entries to upload</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="74"/>
        <source>正在同步…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="77"/>
        <source>同步失败：{reason}</source>
        <translation>Sync failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/device_panels.py" line="78"/>
        <source>未登记总部</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="75"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <location filename="../../ui/messages.py" line="26"/>
        <source>系统错误：{detail}，交易未保存</source>
        <translation>System error: {detail}; the sale was not saved</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="41"/>
        <source>小票 {no} 未能打印：{reason}（交易已保存）</source>
        <translation>Receipt {no} was not printed: {reason} (the sale is saved)</translation>
    </message>
</context>
<context>
    <name>reports</name>
    <message>
        <location filename="../../ui/reports_view.py" line="32"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="33"/>
        <source>微信支付</source>
        <translation>WeChat Pay</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="34"/>
        <source>支付宝</source>
        <translation>Alipay</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="35"/>
        <source>银联卡</source>
        <translation>UnionPay card</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="36"/>
        <source>消费券</source>
        <translation>Voucher</translation>
    </message>
    <message>
        <location filename="../../ui/reports_view.py" line="37"/>
        <source>单位挂账</source>
        <translation>Institution account</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../../ui/manager.py" line="72"/>
        <source>收银员</source>
        <translation>Cashier</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="72"/>
        <source>店长</source>
        <translation>Manager</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="73"/>
        <source>会计</source>
        <translation>Accountant</translation>
    </message>
    <message>
        <location filename="../../ui/manager.py" line="73"/>
        <source>管理员</source>
        <translation>Administrator</translation>
    </message>
</context>
</TS>
